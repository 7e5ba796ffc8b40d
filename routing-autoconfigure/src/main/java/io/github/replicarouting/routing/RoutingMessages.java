package io.github.replicarouting.routing;

import java.util.List;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;

/**
 * The router's error messages: what each node is doing, for people reading an exception.
 */
final class RoutingMessages {

	private RoutingMessages() {
	}

	/**
	 * Say whether reads still work while no writer is known, for an error message.
	 */
	static String describeReads(Topology topology) {
		List<DataSourceNode> eligible = topology.eligibleReplicas();
		if (eligible.isEmpty()) {
			return "no replica is in rotation either ("
					+ (topology.getReplicas().isEmpty() ? "none is configured" : describe(topology, true))
					+ "), so reads fail too";
		}
		StringBuilder names = new StringBuilder();
		for (DataSourceNode replica : eligible) {
			names.append(names.isEmpty() ? "" : ", ").append(replica.getName());
		}
		return "reads are still served by " + names;
	}

	/**
	 * Describe the nodes of the topology for an error message, e.g. {@code replica-1 is DOWN (connection refused)}.
	 */
	static String describe(Topology topology, boolean replicas) {
		StringBuilder description = new StringBuilder();
		for (NodeStatus status : topology.getStatuses()) {
			if ((status.role() == NodeRole.REPLICA) != replicas) {
				continue;
			}
			if (!description.isEmpty()) {
				description.append(", ");
			}
			description.append(status.name()).append(" is ").append(status.state());
			if (status.role() != NodeRole.REPLICA && status.state() == NodeState.UP) {
				description.append(status.writable() ? " and writable" : " but read-only");
			}
			description.append(" (").append(status.reason()).append(")");
		}
		return description.toString();
	}

	/**
	 * Why a read that needed the writer (no replica could serve it) failed while no writer is known.
	 */
	static String readNeededWriter(Topology topology) {
		return "this read needed the primary because no replica could serve it ("
				+ (topology.getReplicas().isEmpty() ? "none is configured" : describe(topology, true)) + ")";
	}

}
