package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.NoReplicaAvailableException;
import io.github.replicarouting.consistency.ReadPlan;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Finds the connection for a read: plan (read-your-writes says which replicas may serve it), balance (the
 * {@link ReplicaLoadBalancer} picks one), retry (a replica whose pool fails is dropped and the next one tried, a causal
 * read waits on the replica for the scope's write), fallback (the writer, or {@link NoReplicaAvailableException}).
 * Every way to the writer ends in one call, {@link #toWriter}.
 *
 * <p>The result is the connection itself, its node and reason told to the listeners through the precomputed
 * {@link RoutingDecisions}: a selection object per read would allocate on the hot path.
 */
final class ReplicaSelector {

	private final Topology topology;

	private final ReplicaLoadBalancer loadBalancer;

	private final ReadYourWrites readYourWrites;

	private final boolean fallbackToWriter;

	private final WriterConnections writer;

	private final RoutingDecisions decisions;

	private final RoutingFailures failures;

	ReplicaSelector(Topology topology, ReplicaLoadBalancer loadBalancer, ReadYourWrites readYourWrites,
			boolean fallbackToWriter, WriterConnections writer, RoutingDecisions decisions, RoutingFailures failures) {
		this.topology = topology;
		this.loadBalancer = loadBalancer;
		this.readYourWrites = readYourWrites;
		this.fallbackToWriter = fallbackToWriter;
		this.writer = writer;
		this.decisions = decisions;
		this.failures = failures;
	}

	/**
	 * A connection for a read: from a replica when one can serve it, else from the writer's read-only sessions.
	 * @param opener how the caller asked for it
	 * @param why why it is a read, for the listeners
	 * @return the connection
	 * @throws NoReplicaAvailableException if no replica can serve it and falling back to the writer is off
	 * @throws SQLException if the writer's pool could not give one
	 */
	Connection select(ConnectionOpener opener, RoutingReason why) throws SQLException {
		if (this.topology.getReplicas().isEmpty()) {
			return toWriter(opener, RoutingReason.NO_REPLICA, null);
		}
		ReadPlan plan = this.readYourWrites.planRead(this.topology);
		if (plan.kind() == ReadPlan.Kind.WRITER_STICKY) {
			return toWriter(opener, RoutingReason.STICKY, null);
		}
		if (plan.kind() == ReadPlan.Kind.WRITER_CAUSAL) {
			return toWriter(opener, RoutingReason.CAUSAL, null);
		}
		List<DataSourceNode> candidates = (plan.replicas() != null) ? plan.replicas()
				: this.topology.eligibleReplicas();
		Exception lastFailure = null;
		while (!candidates.isEmpty()) {
			DataSourceNode replica = choose(candidates);
			try {
				Connection connection = this.failures.open(replica, replica.getDataSource(), opener);
				if (!awaitApplied(connection, plan, replica)) {
					// Had the writer failed here too, the next hopeful replica is tried (caught below).
					return toWriter(opener, RoutingReason.CAUSAL, null);
				}
				this.failures.connected(replica, false);
				this.decisions.connected(replica, Route.REPLICA, why);
				return connection;
			}
			catch (SQLException | RuntimeException ex) {
				// Nothing has run for the caller on this connection yet: try another replica.
				lastFailure = ex;
				candidates = without(candidates, replica);
			}
		}
		return toWriter(opener, fallbackReason(plan, lastFailure), lastFailure);
	}

	private DataSourceNode choose(List<DataSourceNode> candidates) {
		DataSourceNode replica = this.loadBalancer.choose(candidates);
		if (!candidates.contains(replica)) {
			throw new IllegalStateException("ReplicaLoadBalancer " + this.loadBalancer + " chose '" + replica
					+ "', which is not one of the replicas it was given " + candidates
					+ ": a load balancer must return one of its candidates");
		}
		return replica;
	}

	/**
	 * Why a read that no candidate replica could serve goes to the writer.
	 * @throws NoReplicaAvailableException when it may not
	 */
	private RoutingReason fallbackReason(ReadPlan plan, @Nullable Exception lastFailure) {
		if (plan.kind() == ReadPlan.Kind.REPLICAS) {
			// The replicas that could have the scope's write failed: the writer has it.
			return RoutingReason.CAUSAL;
		}
		if (!this.fallbackToWriter) {
			String replicas = RoutingMessages.describe(this.topology, true);
			throw (lastFailure != null) ? new NoReplicaAvailableException(replicas, lastFailure)
					: new NoReplicaAvailableException(replicas);
		}
		return RoutingReason.FALLBACK;
	}

	private Connection toWriter(ConnectionOpener opener, RoutingReason why, @Nullable Exception replicaFailure)
			throws SQLException {
		return this.writer.readOnly(opener, why, replicaFailure);
	}

	/**
	 * For a causal read that must wait, wait on {@code connection} for the scope's write and tell the listeners how
	 * long it took; the connection is closed unless the replica has the write.
	 */
	private boolean awaitApplied(Connection connection, ReadPlan plan, DataSourceNode replica) throws SQLException {
		if (plan.waitFor() == null) {
			return true;
		}
		boolean applied;
		long started = System.nanoTime();
		try {
			applied = this.readYourWrites.awaitApplied(connection, plan);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		if (!applied) {
			connection.close();
		}
		this.decisions.causalWait(replica, Duration.ofNanos(System.nanoTime() - started), applied);
		return applied;
	}

	private static List<DataSourceNode> without(List<DataSourceNode> nodes, DataSourceNode excluded) {
		List<DataSourceNode> remaining = new ArrayList<>(nodes);
		remaining.remove(excluded);
		return remaining;
	}

}
