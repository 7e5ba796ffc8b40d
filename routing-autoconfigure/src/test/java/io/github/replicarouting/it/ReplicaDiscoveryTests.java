package io.github.replicarouting.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.RoutingReplicas;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery ({@code routing.datasource.discovery.enabled}) on the seed's topology as far as this machine allows: a
 * primary, a standby and four replicas, none of them configured; the writer's {@code SHOW SLAVE HOSTS} (the replicas
 * report their address) is all the application knows. Under 8 threads of reads, each counted by the server that
 * answered ({@code @@server_id}): new replicas get reads once caught up, one detached from the writer leaves without
 * failing a read. Prints the time from a replica's start to its first routed read.
 */
@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class ReplicaDiscoveryTests {

	private static final Duration SETTLE = Duration.ofSeconds(30);

	static final ReplicationCluster cluster = TestCluster.get();

	private static ConfigurableApplicationContext context;

	private static long startedAt;

	@BeforeAll
	static void start() {
		// MySQL Connector/J in front of MariaDB: the first connection, not the URL, tells which statement lists replicas.
		Map<String, Object> properties = TestCluster.properties("mysql");
		properties.keySet().removeIf((key) -> key.startsWith("routing.datasource.replicas."));
		properties.put("routing.datasource.standbys.standby-1.url", cluster.node("standby-1").jdbcUrl("mysql"));
		properties.put("routing.datasource.check-interval", "200ms");
		properties.put("routing.datasource.discovery.enabled", "true");
		properties.put("routing.datasource.discovery.interval", "200ms");
		// SHOW SLAVE HOSTS needs REPLICATION MASTER ADMIN, which the application's account does not have.
		properties.put("routing.datasource.discovery.username", cluster.adminUsername());
		properties.put("routing.datasource.discovery.password", cluster.adminPassword());
		properties.put("routing.datasource.discovery.replica.hikari.maximum-pool-size", "3");
		startedAt = System.nanoTime();
		context = new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void discoveryFindsEveryReplicaAndFollowsThemComingAndGoing(CapturedOutput output) throws Exception {
		Duration initial = LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		System.out.println("discovered replica-1 and replica-2 and routing to both "
				+ LoadRun.millis(System.nanoTime() - startedAt) + " ms after the application started");
		assertThat(initial).isNotNull();
		assertThat(replicaNames()).containsExactlyInAnyOrder(discoveredName("replica-1"), discoveredName("replica-2"));
		// Pools from the template: its Hikari settings over routing.datasource.hikari (maximum-pool-size 4).
		assertThat(topology().getNode(discoveredName("replica-1")).getDataSource()
			.unwrap(com.zaxxer.hikari.HikariDataSource.class)
			.getMaximumPoolSize()).isEqualTo(3);
		List<String> added = new ArrayList<>();
		Map<String, long[]> timings = new LinkedHashMap<>();
		List<LoadRun.Call> calls;
		long detachedAt;
		long rejoinedAt;
		long removedAt;
		try {
			try (LoadRun load = new LoadRun("discovery", 8, Duration.ofSeconds(240), this::read)) {
				for (int i = 0; i < 2; i++) {
					long processStart = System.nanoTime();
					String name = cluster.addReplica();
					long caughtUp = System.nanoTime();
					added.add(name);
					timings.put(name, new long[] { processStart, caughtUp });
					assertThat(LoadRun.awaitCondition(SETTLE, () -> eligibleNames().contains(discoveredName(name))))
						.as(name + " is discovered and in rotation").isNotNull();
				}
				LoadRun.sleep(Duration.ofSeconds(2));
				assertThat(replicaNames()).hasSize(4);
				// A replica detached from the writer (its replication stopped) leaves the writer's list.
				String leaving = added.get(1);
				cluster.execute(leaving, "STOP SLAVE");
				detachedAt = System.nanoTime();
				Duration left = LoadRun.awaitCondition(SETTLE,
						() -> !replicaNames().contains(discoveredName(leaving)));
				System.out.println(leaving + " detached from the writer: removed by discovery "
						+ ((left != null) ? left.toMillis() + " ms" : "never") + " later");
				assertThat(left).as(leaving + " is removed once detached").isNotNull();
				removedAt = System.nanoTime();
				// It comes back behind the writer (a write it has not applied, its SQL thread stopped): discovery adds
				// it again at once, and it gets reads only once it has caught up.
				cluster.execute(ReplicationCluster.PRIMARY, "CREATE TABLE IF NOT EXISTS " + cluster.database()
						+ ".discovery_write (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6) NOT NULL)",
						"INSERT INTO " + cluster.database() + ".discovery_write (at) VALUES (NOW(6))");
				LoadRun.sleep(Duration.ofSeconds(1));
				cluster.execute(leaving, "START SLAVE IO_THREAD");
				assertThat(LoadRun.awaitCondition(SETTLE, () -> replicaNames().contains(discoveredName(leaving))))
					.as(leaving + " is discovered again").isNotNull();
				LoadRun.sleep(Duration.ofMillis(1500));
				String joining = topology().getStatus(discoveredName(leaving)).reason();
				System.out.println(leaving + " back behind the writer: " + joining);
				assertThat(joining).startsWith("joining:");
				assertThat(eligibleNames()).doesNotContain(discoveredName(leaving));
				cluster.execute(leaving, "START SLAVE SQL_THREAD");
				rejoinedAt = System.nanoTime();
				assertThat(LoadRun.awaitCondition(SETTLE, () -> eligibleNames().contains(discoveredName(leaving))))
					.as(leaving + " joins once caught up").isNotNull();
				LoadRun.sleep(Duration.ofSeconds(1));
				// An operator removes a replica the writer still lists: discovery does not bring it back.
				String removedByOperator = discoveredName(added.get(0));
				context.getBean(RoutingReplicas.class).remove(removedByOperator, "the test");
				LoadRun.sleep(Duration.ofMillis(1500));
				System.out.println(removedByOperator + " removed by an operator, 7 questions later: replicas "
						+ replicaNames());
				assertThat(replicaNames()).doesNotContain(removedByOperator).hasSize(3);
				// Once it has left the writer's list, it is discovered again when it comes back.
				cluster.execute(added.get(0), "STOP SLAVE");
				LoadRun.sleep(Duration.ofSeconds(3));
				assertThat(replicaNames()).doesNotContain(removedByOperator);
				cluster.execute(added.get(0), "START SLAVE");
				Duration back = LoadRun.awaitCondition(SETTLE, () -> eligibleNames().contains(removedByOperator));
				System.out.println(removedByOperator + " detached, then attached again: discovered and in rotation "
						+ ((back != null) ? back.toMillis() + " ms" : "never") + " after START SLAVE");
				assertThat(back).isNotNull();
				calls = load.stop();
			}
			for (String name : added) {
				long first = LoadRun.select(calls, (call) -> name.equals(call.node()))
					.stream()
					.mapToLong(LoadRun.Call::start)
					.min()
					.orElse(Long.MAX_VALUE);
				long[] at = timings.get(name);
				System.out.printf("%s: process start -> caught up %d ms, process start -> first routed read %d ms "
						+ "(caught up -> first read %d ms)%n", name, LoadRun.millis(at[1] - at[0]),
						LoadRun.millis(first - at[0]), LoadRun.millis(first - at[1]));
				assertThat(first).as("a routed read on " + name).isLessThan(Long.MAX_VALUE);
			}
			String leaving = added.get(1);
			Map<String, Integer> afterRemoval = LoadRun.perNode(LoadRun.select(calls,
					(call) -> call.startedAfter(removedAt) && call.end() < rejoinedAt));
			List<LoadRun.Call> afterRejoin = LoadRun.select(calls,
					(call) -> leaving.equals(call.node()) && call.startedAfter(removedAt));
			System.out.println(leaving + " rejoined: " + afterRejoin.size() + " reads on it, the first "
					+ afterRejoin.stream().mapToLong((call) -> LoadRun.millis(call.start() - rejoinedAt)).min().orElse(-1)
					+ " ms after its SQL thread was started again");
			assertThat(afterRejoin).isNotEmpty().allMatch((call) -> call.start() > rejoinedAt);
			System.out.println("discovery under 8 threads: reads " + LoadRun.perNode(calls) + ", after " + leaving
					+ " left " + afterRemoval + ", failed " + LoadRun.select(calls, LoadRun.Call::failed).size());
			assertThat(LoadRun.select(calls, LoadRun.Call::failed)).isEmpty();
			assertThat(LoadRun.perNode(calls)).containsKeys("replica-1", "replica-2", added.get(0), leaving)
				.doesNotContainKeys("primary", "standby-1");
			assertThat(afterRemoval).doesNotContainKey(leaving);
			assertThat(topology().getStandbys()).extracting(DataSourceNode::getName).containsExactly("standby-1");
			assertThat(output).contains("Replica '" + discoveredName(leaving) + "' removed")
				.contains("requested by discovery")
				.doesNotContain("Cannot ask");
		}
		finally {
			for (String name : added) {
				cluster.removeReplica(name);
			}
		}
		assertThat(LoadRun.awaitCondition(SETTLE, () -> replicaNames().size() == 2)).isNotNull();
	}

	@Test
	void anAccountThatMayNotListReplicasIsReportedOnceAndNothingChanges(CapturedOutput output) {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.keySet().removeIf((key) -> key.startsWith("routing.datasource.replicas."));
		properties.put("routing.datasource.discovery.enabled", "true");
		try (ConfigurableApplicationContext appAccountOnly = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run()) {
			Topology topology = RoutingDataSource.required(appAccountOnly.getBean(javax.sql.DataSource.class))
				.getTopology();
			// Three questions at the default interval (check-interval, 1 s).
			LoadRun.sleep(Duration.ofMillis(3500));
			assertThat(topology.getReplicas()).isEmpty();
		}
		assertThat(output).contains("Discovering replicas from the writer every 1000 ms")
			.containsOnlyOnce("Cannot ask 'primary' which replicas are attached to it")
			.contains("REPLICATION MASTER ADMIN", "routing.datasource.discovery.username");
	}

	private static String discoveredName(String clusterNode) {
		ClusterNode node = cluster.node(clusterNode);
		return "discovered-127.0.0.1-" + node.port();
	}

	private static List<String> replicaNames() {
		return topology().getReplicas().stream().filter((node) -> node.getRole() == NodeRole.REPLICA)
			.map(DataSourceNode::getName).toList();
	}

	private static List<String> eligibleNames() {
		return topology().eligibleReplicas().stream().map(DataSourceNode::getName).toList();
	}

	private String read() {
		return cluster.nodeName(context.getBean(ServerIds.class).readOnly());
	}

	private static Topology topology() {
		return RoutingDataSource.required(context.getBean(javax.sql.DataSource.class)).getTopology();
	}

}
