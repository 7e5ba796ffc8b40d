package io.github.replicarouting.consistency;

import java.time.Duration;

import io.github.replicarouting.topology.Topology;

/**
 * {@link ReadYourWritesMode#STICKY}: a scope's reads go to the writer for {@code sticky-window} after its write.
 */
final class StickyReadYourWrites implements ReadYourWritesStrategy {

	private final Duration stickyWindow;

	StickyReadYourWrites(Duration stickyWindow) {
		this.stickyWindow = stickyWindow;
	}

	@Override
	public boolean recordsCommits() {
		return true;
	}

	@Override
	public boolean needsCommitPosition() {
		return false;
	}

	@Override
	public ReadPlan planRead(ConsistencyToken token, long ageMillis, Topology topology) {
		return planByAge(ageMillis, this.stickyWindow);
	}

	static ReadPlan planByAge(long ageMillis, Duration stickyWindow) {
		return (ageMillis < stickyWindow.toMillis()) ? ReadPlan.WRITER_STICKY : ReadPlan.ANY_REPLICA;
	}

}
