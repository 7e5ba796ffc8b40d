package io.github.replicarouting.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.it.GeneralLog.Entry;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, target 3: under causal read-your-writes, a read whose write the monitor has already seen on the replicas
 * sends no wait statement; a read that must wait sends exactly one. Counted by the servers (general log), per node,
 * through both drivers.
 */
@WithReplicationCluster
class CausalReadStatementsTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@ParameterizedTest
	@ValueSource(strings = { "mysql", "mariadb" })
	void aCaughtUpCausalReadSendsNoWaitStatement(String scheme) {
		try (ConfigurableApplicationContext context = causal(scheme, "100ms")) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			RoutingDataSource routing = context.getBean(RoutingDataSource.class);
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId("causal-caught-up-" + scheme);
				cluster.awaitReplication(Duration.ofSeconds(30));
				awaitMonitorSeesEveryReplicaAt(routing,
						cluster.queryString(ReplicationCluster.PRIMARY, "SELECT @@global.gtid_binlog_pos"));
				List<Entry> entries;
				try (GeneralLog log = GeneralLog.start(cluster)) {
					assertThat(cluster.nodeName(serverIds.readOnly())).startsWith("replica-");
					entries = log.stop();
				}
				List<Entry> waits = waits(entries);
				System.out.printf("[statements] %s causal read, caught up: %d wait statements %s%n", scheme,
						waits.size(), waits);
				assertThat(waits).isEmpty();
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "mysql", "mariadb" })
	void aCausalReadThatMustWaitSendsExactlyOneWaitStatement(String scheme) {
		// The monitor checks once an hour: it never sees the write, so the read must wait on its replica.
		try (ConfigurableApplicationContext context = causal(scheme, "1h")) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			// The monitor's first probe runs as the context starts, on its own thread: let it finish first, or it
			// may see the write below on the replicas and spare the read its wait.
			cluster.awaitReplication(Duration.ofSeconds(30));
			awaitMonitorSeesEveryReplicaAt(context.getBean(RoutingDataSource.class),
					cluster.queryString(ReplicationCluster.PRIMARY, "SELECT @@global.gtid_binlog_pos"));
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId("causal-must-wait-" + scheme);
				List<Entry> entries;
				long served;
				try (GeneralLog log = GeneralLog.start(cluster)) {
					served = serverIds.readOnly();
					entries = log.stop();
				}
				List<Entry> waits = waits(entries);
				System.out.printf("[statements] %s causal read that must wait, served by %s: %d wait statements %s%n",
						scheme, cluster.nodeName(served), waits.size(), waits);
				assertThat(cluster.nodeName(served)).startsWith("replica-");
				assertThat(waits).singleElement()
					.satisfies((wait) -> assertThat(wait.node()).isEqualTo(cluster.nodeName(served)));
			}
		}
	}

	private static List<Entry> waits(List<Entry> entries) {
		return GeneralLog.matching(entries, (entry) -> entry.sql() != null
				&& entry.sql().toUpperCase(java.util.Locale.ROOT).matches("(?s).*(MASTER_GTID_WAIT|WAIT_FOR_EXECUTED_GTID_SET).*"));
	}

	private static ConfigurableApplicationContext causal(String scheme, String lagCheckInterval) {
		Map<String, Object> properties = TestCluster.properties(scheme);
		properties.put("routing.datasource.read-your-writes", "causal");
		properties.put("routing.datasource.lag-check-interval", lagCheckInterval);
		return new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

	private static void awaitMonitorSeesEveryReplicaAt(RoutingDataSource routing, String position) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (true) {
			List<NodeStatus> replicas = routing.getTopology()
				.getStatuses()
				.stream()
				.filter((status) -> status.role() == NodeRole.REPLICA)
				.toList();
			if (!replicas.isEmpty() && replicas.stream().allMatch((status) -> Objects.equals(status.position(), position))) {
				return;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("The monitor did not see " + position + " on every replica: " + replicas);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
