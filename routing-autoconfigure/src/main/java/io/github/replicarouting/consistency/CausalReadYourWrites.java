package io.github.replicarouting.consistency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.GtidPosition;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;

/**
 * {@link ReadYourWritesMode#CAUSAL}: a read goes to a replica the monitor has already seen past the write's GTID (no
 * extra round trip); else to a replica that may catch up in time, after waiting on it for at most
 * {@code causal-wait-timeout}; else (replication stopped or too far behind) straight to the writer. A write whose GTID
 * is unknown is treated as in sticky mode. Never a stale read.
 */
final class CausalReadYourWrites implements ReadYourWritesStrategy {

	private final Duration stickyWindow;

	private final Duration causalWaitTimeout;

	CausalReadYourWrites(Duration stickyWindow, Duration causalWaitTimeout) {
		this.stickyWindow = stickyWindow;
		this.causalWaitTimeout = causalWaitTimeout;
	}

	@Override
	public boolean recordsCommits() {
		return true;
	}

	@Override
	public boolean needsCommitPosition() {
		return true;
	}

	@Override
	public ReadPlan planRead(ConsistencyToken token, long ageMillis, Topology topology) {
		if (token.gtid() == null) {
			return StickyReadYourWrites.planByAge(ageMillis, this.stickyWindow);
		}
		DatabaseFlavour flavour = token.flavour();
		GtidPosition write;
		try {
			write = flavour.parsePosition(token.gtid());
		}
		catch (IllegalArgumentException ex) {
			// Signed by us, but in a format this version cannot compare (written by another version): never stale.
			return ReadPlan.WRITER_CAUSAL;
		}
		List<DataSourceNode> eligible = topology.eligibleReplicas();
		List<DataSourceNode> applied = new ArrayList<>(eligible.size());
		List<DataSourceNode> hopeful = new ArrayList<>(eligible.size());
		for (DataSourceNode replica : eligible) {
			GtidPosition seen = topology.positionOf(replica);
			if (seen != null && seen.includes(write)) {
				applied.add(replica);
				continue;
			}
			Duration lag = topology.lagOf(replica);
			if (lag == null || lag.compareTo(this.causalWaitTimeout) <= 0) {
				hopeful.add(replica);
			}
		}
		if (!applied.isEmpty()) {
			return new ReadPlan(ReadPlan.Kind.REPLICAS, applied, null, flavour);
		}
		if (hopeful.isEmpty()) {
			// Replication stopped or too far behind: waiting could only time out.
			return ReadPlan.WRITER_CAUSAL;
		}
		return new ReadPlan(ReadPlan.Kind.REPLICAS, hopeful, token.gtid(), flavour);
	}

	@Override
	public boolean awaitApplied(Connection replica, ReadPlan plan) throws SQLException {
		String waitQuery = plan.flavour().waitQuery();
		if (plan.waitFor() == null || waitQuery == null) {
			return true;
		}
		try (PreparedStatement statement = replica.prepareStatement(waitQuery)) {
			statement.setString(1, plan.waitFor());
			statement.setDouble(2, this.causalWaitTimeout.toNanos() / 1e9);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getLong(1) == 0 && !result.wasNull();
			}
		}
	}

}
