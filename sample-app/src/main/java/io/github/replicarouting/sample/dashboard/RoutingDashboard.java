package io.github.replicarouting.sample.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.replicarouting.actuate.RoutingEndpoint;
import io.github.replicarouting.actuate.RoutingEndpoint.NodeDescriptor;
import io.github.replicarouting.actuate.RoutingEndpoint.RoutingDescriptor;
import io.github.replicarouting.actuate.RoutingMetricsListener;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the page shows: each node's state, administrative state and lag (from the {@code routing} endpoint) and the
 * reads and writes it served (from the {@code routing.decisions} counter), in total and per second over the last
 * minute.
 *
 * @since 0.1.0
 */
@Component
public class RoutingDashboard {

	/** Reasons for which the primary served a read: no replica, fallback, read-your-writes. */
	private static final Set<String> PRIMARY_READS = Set.of("no-replica", "fallback", "sticky", "causal",
			"readonly-tx");

	private final RoutingEndpoint routing;

	private final MeterRegistry registry;

	private final TrafficHistory history = new TrafficHistory();

	private final ObjectProvider<ReplicationCluster> cluster;

	public RoutingDashboard(RoutingEndpoint routing, MeterRegistry registry, ObjectProvider<ReplicationCluster> cluster) {
		this.routing = routing;
		this.registry = registry;
		this.cluster = cluster;
	}

	/**
	 * The router's name for a node of the embedded cluster (a discovered replica is named after its address), by its
	 * port.
	 * @return the name, or {@code null} if the router does not know it
	 */
	static @Nullable String routerNameOf(Topology topology, ClusterNode node) {
		for (NodeStatus status : topology.getStatuses()) {
			if (status.name().equals(node.name()) || status.name().endsWith("-" + node.port())) {
				return status.name();
			}
		}
		return null;
	}

	/** The embedded cluster's name for a node of the router, by the port in its URL; {@code null} without one. */
	private @Nullable String clusterNameOf(NodeDescriptor node) {
		ReplicationCluster cluster = this.cluster.getIfAvailable();
		if (cluster == null || node.url() == null) {
			return null;
		}
		for (ClusterNode candidate : cluster.nodes()) {
			if (node.url().contains(":" + candidate.port() + "/")) {
				return candidate.name();
			}
		}
		return null;
	}

	/**
	 * The current state of every node.
	 * @return the view
	 */
	public View view() {
		RoutingDescriptor routing = this.routing.routing();
		Map<String, long[]> counts = counts();
		List<Node> nodes = new ArrayList<>();
		for (NodeDescriptor node : routing.nodes()) {
			long[] count = counts.getOrDefault(node.name(), new long[2]);
			TrafficHistory.Minute minute = this.history.lastMinute(node.name());
			nodes.add(new Node(node.name(), clusterNameOf(node), node.role(), node.state(), node.administrativeState(),
					node.inRotation(), node.writer(), node.lag(), node.lagMillis(), count[0], count[1],
					minute.reads(), minute.writes()));
		}
		return new View(routing.writer(), String.valueOf(routing.settings().get("loadBalancing")), nodes);
	}

	/**
	 * Once a second, close a bucket of the last minute's traffic per node.
	 */
	@Scheduled(fixedRate = 1000)
	void sampleTraffic() {
		this.history.record(counts());
	}

	/**
	 * Reads and writes served so far, per node.
	 * @return node name to {reads, writes}
	 */
	Map<String, long[]> counts() {
		Map<String, long[]> counts = new LinkedHashMap<>();
		for (Counter counter : this.registry.find(RoutingMetricsListener.DECISIONS).counters()) {
			String node = counter.getId().getTag("node");
			boolean read = "replica".equals(counter.getId().getTag("target"))
					|| PRIMARY_READS.contains(counter.getId().getTag("reason"));
			counts.computeIfAbsent(node, (name) -> new long[2])[read ? 0 : 1] += (long) counter.count();
		}
		return counts;
	}

	/**
	 * The page's data.
	 *
	 * @param writer the node taking writes, or {@code null} while none does
	 * @param loadBalancing how reads are spread over replicas
	 * @param nodes every node
	 */
	public record View(@Nullable String writer, String loadBalancing, List<Node> nodes) {
	}

	/**
	 * One node on the page.
	 *
	 * @param name the node name
	 * @param clusterNode the embedded cluster's name for it, or {@code null} when not on the embedded cluster
	 * @param role primary, standby or replica
	 * @param state UP, DOWN or LAGGING
	 * @param administrativeState ACTIVE, DRAIN or MAINTENANCE: what an operator decided for it
	 * @param inRotation whether it is given work now
	 * @param writer whether writes go to it
	 * @param lag a replica's lag, for people
	 * @param lagMillis a replica's lag in milliseconds
	 * @param reads connections it served for reads
	 * @param writes connections it served for writes (and anything else that did not ask for a replica)
	 * @param readsPerSecond reads per second over the last minute, oldest first
	 * @param writesPerSecond writes per second over the last minute, oldest first
	 */
	public record Node(String name, @Nullable String clusterNode, String role, String state, String administrativeState, boolean inRotation,
			boolean writer, @Nullable String lag, @Nullable Long lagMillis, long reads, long writes, List<Long> readsPerSecond, List<Long> writesPerSecond) {
	}

}
