package io.github.replicarouting.consistency;

import io.github.replicarouting.topology.Topology;

/**
 * {@link ReadYourWritesMode#NONE}: nothing is recorded, every read may go to any replica.
 */
final class NoReadYourWrites implements ReadYourWritesStrategy {

	static final NoReadYourWrites INSTANCE = new NoReadYourWrites();

	private NoReadYourWrites() {
	}

	@Override
	public boolean recordsCommits() {
		return false;
	}

	@Override
	public boolean needsCommitPosition() {
		return false;
	}

	@Override
	public ReadPlan planRead(ConsistencyToken token, long ageMillis, Topology topology) {
		return ReadPlan.ANY_REPLICA;
	}

}
