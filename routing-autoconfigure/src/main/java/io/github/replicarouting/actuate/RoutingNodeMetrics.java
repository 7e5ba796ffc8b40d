package io.github.replicarouting.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.github.replicarouting.topology.AdministrativeState;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import io.github.replicarouting.topology.TopologyListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gauges of every node's state, read from the topology monitor, and Hikari pool metrics for every node's pool (Boot
 * binds only the pool its {@code DataSource} bean unwraps to: the primary's).
 *
 * <ul>
 * <li>{@value #STATE}, tagged {@code node}, {@code role} and {@code state} ({@code up}, {@code down},
 * {@code lagging}): 1 for the node's current state, 0 for the others;</li>
 * <li>{@value #ADMINISTRATIVE_STATE}, tagged {@code node}, {@code role} and {@code state} ({@code active},
 * {@code drain}, {@code maintenance}): 1 for what an operator set, 0 for the others;</li>
 * <li>{@value #WRITER}, tagged {@code node} and {@code role}: 1 for the node that takes writes;</li>
 * <li>{@value #ABORTED}, tagged {@code node}: connections aborted because the node stopped answering;</li>
 * <li>{@value #LAG}, tagged {@code node}: a replica's lag, {@code NaN} when not measured or the replica is down, infinite when replication
 * is stopped;</li>
 * <li>{@code hikaricp.connections.*}, tagged {@code pool} with the node name (and {@code <name>-read-only} for the
 * read-only sessions of the primary and standbys).</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class RoutingNodeMetrics implements MeterBinder {

	/** Whether a node is in a state. */
	public static final String STATE = "routing.node.state";

	/** Whether an operator set a node to an administrative state. */
	public static final String ADMINISTRATIVE_STATE = "routing.node.administrative-state";

	/** Whether a node takes writes. */
	public static final String WRITER = "routing.node.writer";

	/** Connections to a node aborted because it stopped answering. */
	public static final String ABORTED = "routing.node.aborted.connections";

	/** How far a replica is behind the writer. */
	public static final String LAG = "routing.replica.lag";

	private static final Log logger = LogFactory.getLog(RoutingNodeMetrics.class);

	private final Topology topology;

	/** Every registry bound to, with the meters of each node, so that those of a removed replica are removed. */
	private final Map<MeterRegistry, Map<String, List<Meter>>> meters = new ConcurrentHashMap<>();

	/**
	 * Create a binder for the nodes of a topology; replicas added or removed later get or lose their meters.
	 * @param topology the nodes and their state
	 */
	public RoutingNodeMetrics(Topology topology) {
		this.topology = topology;
		topology.addListener(new TopologyListener() {

			@Override
			public void nodeAdded(DataSourceNode node) {
				RoutingNodeMetrics.this.meters.keySet().forEach((registry) -> bind(node, registry));
			}

			@Override
			public void nodeRemoved(DataSourceNode node) {
				RoutingNodeMetrics.this.meters.forEach((registry, byNode) -> {
					List<Meter> removed = byNode.remove(node.getName());
					if (removed != null) {
						removed.forEach(registry::remove);
					}
				});
			}

		});
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.meters.putIfAbsent(registry, new ConcurrentHashMap<>());
		for (DataSourceNode node : this.topology.getNodes()) {
			bind(node, registry);
		}
	}

	private void bind(DataSourceNode node, MeterRegistry registry) {
		List<Meter> bound = new ArrayList<>();
		String name = node.getName();
		Tags tags = Tags.of("node", name, "role", Names.of(node.getRole()));
		for (NodeState state : NodeState.values()) {
			bound.add(Gauge.builder(STATE, this.topology,
					(topology) -> is(topology, name, (status) -> status.state() == state))
				.description("Whether the node is in this state (1) or not (0)")
				.tags(tags)
				.tag("state", Names.of(state))
				.strongReference(true)
				.register(registry));
		}
		for (AdministrativeState state : AdministrativeState.values()) {
			bound.add(Gauge.builder(ADMINISTRATIVE_STATE, this.topology,
					(topology) -> is(topology, name, (status) -> status.administrativeState() == state))
				.description("Whether an operator set the node to this administrative state (1) or not (0)")
				.tags(tags)
				.tag("state", Names.of(state))
				.strongReference(true)
				.register(registry));
		}
		bound.add(Gauge.builder(WRITER, this.topology, (topology) -> is(topology, name, NodeStatus::writer))
			.description("Whether writes go to the node (1) or not (0)")
			.tags(tags)
			.strongReference(true)
			.register(registry));
		if (node.getRole() == NodeRole.REPLICA) {
			bound.add(TimeGauge.builder(LAG, this.topology, TimeUnit.MILLISECONDS,
					(topology) -> lagMillis(topology, name))
				.description("How far the replica is behind the writer")
				.tag("node", name)
				.strongReference(true)
				.register(registry));
		}
		bound.add(FunctionCounter.builder(ABORTED, node, DataSourceNode::getAbortedConnections)
			.description("Connections to the node aborted because it stopped answering")
			.tag("node", name)
			.register(registry));
		bindPool(node, registry);
		Map<String, List<Meter>> byNode = this.meters.get(registry);
		if (byNode != null) {
			byNode.put(node.getName(), bound);
		}
	}

	/** 1 when the node's status passes the test, 0 when not, NaN once it has been removed. */
	private static double is(Topology topology, String name, Predicate<NodeStatus> test) {
		NodeStatus status = topology.findStatus(name);
		return (status == null) ? Double.NaN : test.test(status) ? 1 : 0;
	}

	private static double lagMillis(Topology topology, String name) {
		NodeStatus status = topology.findStatus(name);
		Duration lag = (status != null) ? Names.currentLag(status) : null;
		if (lag == null) {
			return Double.NaN;
		}
		return NodeStatus.STOPPED.equals(lag) ? Double.POSITIVE_INFINITY : lag.toMillis();
	}

	private static void bindPool(DataSourceNode node, MeterRegistry registry) {
		bindPool(node.getDataSource(), registry);
		if (node.getReadOnlyDataSource() != null) {
			bindPool(node.getReadOnlyDataSource(), registry);
		}
	}

	private static void bindPool(DataSource dataSource, MeterRegistry registry) {
		HikariDataSource pool = HikariPools.of(dataSource);
		if (pool == null || pool.getMetricRegistry() != null || pool.getMetricsTrackerFactory() != null) {
			return;
		}
		try {
			pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to bind Hikari metrics of pool '" + pool.getPoolName() + "': " + ex.getMessage());
		}
	}

}
