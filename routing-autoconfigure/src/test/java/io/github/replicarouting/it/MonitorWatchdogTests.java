package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.Topology;
import io.github.replicarouting.topology.TopologyMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor bounds its own probes whatever the driver's timeouts (other databases get none from the starter): a
 * probe of a frozen node that has no socket timeout is given up after the monitor's timeout, and the node is
 * reported as not answering.
 */
@WithReplicationCluster
class MonitorWatchdogTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@AfterEach
	void thaw() {
		cluster.thawNode("replica-2");
	}

	@Test
	void probeWithoutDriverTimeoutsIsGivenUpOnAFrozenNode() {
		Duration timeout = Duration.ofMillis(800);
		Duration interval = Duration.ofMillis(300);
		try (HikariDataSource primaryPool = pool(ReplicationCluster.PRIMARY);
				HikariDataSource replicaPool = pool("replica-2")) {
			DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, primaryPool, 1);
			DataSourceNode replica = new DataSourceNode("replica-2", replicaPool, 1);
			Topology topology = new Topology(primary, List.of(), List.of(replica));
			// Plain driver connections: no connectTimeout, no socketTimeout.
			Map<DataSourceNode, javax.sql.DataSource> probes = Map.of(primary, probe(ReplicationCluster.PRIMARY),
					replica, probe("replica-2"));
			try (TopologyMonitor monitor = new TopologyMonitor(topology, probes, interval, null, timeout)) {
				monitor.start();
				assertThat(LoadRun.awaitCondition(Duration.ofSeconds(10),
						() -> topology.getStatus("replica-2").reason().equals("reachable"))).isNotNull();
				long frozenAt = System.nanoTime();
				cluster.freezeNode("replica-2");
				Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
						() -> topology.getStatus("replica-2").state() == NodeState.DOWN);
				System.out.printf("probe without driver timeouts on a frozen node: given up %d ms after the freeze "
						+ "(interval %d ms, timeout %d ms): %s%n", (detected != null) ? detected.toMillis() : -1,
						interval.toMillis(), timeout.toMillis(), topology.getStatus("replica-2").reason());
				assertThat(detected).isNotNull();
				assertThat(topology.getStatus("replica-2").reason()).startsWith("not answering");
				assertThat(topology.getStatus("primary").state()).as("the other node's probes went on")
					.isEqualTo(NodeState.UP);
				cluster.thawNode("replica-2");
				assertThat(LoadRun.awaitCondition(Duration.ofSeconds(10),
						() -> topology.getStatus("replica-2").state() == NodeState.UP))
					.as("back once it answers").isNotNull();
				assertThat(System.nanoTime()).isGreaterThan(frozenAt);
			}
		}
	}

	private static HikariDataSource pool(String node) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(cluster.node(node).jdbcUrl("mariadb"));
		pool.setUsername(cluster.username());
		pool.setPassword(cluster.password());
		pool.setMaximumPoolSize(2);
		return pool;
	}

	private static DriverManagerDataSource probe(String node) {
		return new DriverManagerDataSource(cluster.node(node).jdbcUrl("mariadb"), cluster.username(),
				cluster.password());
	}

}
