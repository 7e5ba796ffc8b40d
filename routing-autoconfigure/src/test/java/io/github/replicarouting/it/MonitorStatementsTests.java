package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.replicarouting.it.GeneralLog.Entry;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, target 4: the monitor sends one statement per node per interval, whatever the request rate. Counted by
 * the servers (general log) for an application with an account of its own, so that nothing else in the test run is
 * counted, idle and then under a load of read-only and read-write transactions.
 */
@WithReplicationCluster
class MonitorStatementsTests {

	static final ReplicationCluster cluster = TestCluster.get();

	static final String USER = "monitor_count";

	static final Duration WINDOW = Duration.ofSeconds(2);

	@Test
	void theMonitorSendsOneStatementPerNodePerIntervalWhateverTheLoad() throws Exception {
		cluster.execute(ReplicationCluster.PRIMARY,
				"CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + USER + "'",
				"GRANT ALL PRIVILEGES ON `" + cluster.database() + "`.* TO '" + USER + "'@'%'");
		cluster.awaitReplication(Duration.ofSeconds(30));
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("routing.datasource.primary.username", USER);
		properties.put("routing.datasource.primary.password", USER);
		properties.put("routing.datasource.lag-check-interval", "100ms");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run()) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			// Past start-up (first probes, the refused SHOW SLAVE STATUS once per replica).
			Thread.sleep(500);
			Map<String, Long> idle = monitorStatementsPerNode(null);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong transactions = new AtomicLong();
			Thread load = new Thread(() -> {
				long i = 0;
				while (running.get()) {
					if (i++ % 10 == 0) {
						serverIds.insertReturningServerId("monitor-load");
					}
					else {
						serverIds.readOnlyTransaction();
					}
					transactions.incrementAndGet();
				}
			});
			Map<String, Long> loaded;
			try {
				load.start();
				Thread.sleep(200);
				loaded = monitorStatementsPerNode(transactions);
			}
			finally {
				running.set(false);
				load.join(10_000);
			}
			for (Map<String, Long> counts : List.of(idle, loaded)) {
				long intervals = counts.get(ReplicationCluster.PRIMARY);
				assertThat(intervals).as("intervals in %s", WINDOW).isGreaterThan(3);
				for (ClusterNode node : configuredNodes()) {
					// At most one statement per node per interval (the window may cut one at either end); a replica's
					// probe runs on its own schedule and may start late when the machine is busy, never twice.
					assertThat(counts.get(node.name())).as("monitor statements on %s", node.name())
						.isBetween(intervals / 2, intervals + 1);
				}
			}
			long idleIntervals = idle.get(ReplicationCluster.PRIMARY);
			long loadedIntervals = loaded.get(ReplicationCluster.PRIMARY);
			long idleTotal = idle.values().stream().mapToLong(Long::longValue).sum();
			long loadedTotal = loaded.values().stream().mapToLong(Long::longValue).sum();
			System.out.printf("[statements] monitor, idle: %s in %d intervals (%.2f per interval, %d nodes)%n", idle,
					idleIntervals, (double) idleTotal / idleIntervals, idle.size());
			System.out.printf("[statements] monitor, under load: %s in %d intervals (%.2f per interval)%n", loaded,
					loadedIntervals, (double) loadedTotal / loadedIntervals);
		}
	}

	private static List<ClusterNode> configuredNodes() {
		List<ClusterNode> nodes = new java.util.ArrayList<>();
		nodes.add(cluster.primary());
		nodes.addAll(cluster.replicas());
		return nodes;
	}

	/**
	 * What the application's account sent in one window that is not a pool connection's (the monitor's own
	 * connections), per node; with a load running, also checks that it ran meanwhile.
	 */
	private Map<String, Long> monitorStatementsPerNode(AtomicLong transactions) throws InterruptedException {
		List<Entry> entries;
		long before = (transactions != null) ? transactions.get() : 0;
		try (GeneralLog log = GeneralLog.start(cluster)) {
			Thread.sleep(WINDOW.toMillis());
			entries = log.stop();
		}
		if (transactions != null) {
			System.out.printf("[statements] monitor window under load: %d transactions%n", transactions.get() - before);
			// However slow the machine, requests ran all through the window.
			assertThat(transactions.get() - before).as("transactions during the window").isGreaterThan(10);
		}
		Map<String, Long> counts = new java.util.TreeMap<>();
		List<Entry> ours = GeneralLog.matching(entries,
				(entry) -> entry.user() != null && entry.user().startsWith(USER + "["));
		// The monitor's connections: those that sent a probe. Everything they sent counts, not just the probes.
		List<Entry> monitor = GeneralLog.onConnectionsThatSent(ours, "@@global.");
		for (ClusterNode node : configuredNodes()) {
			List<Entry> onNode = GeneralLog.on(monitor, node.name());
			counts.put(node.name(), (long) onNode.size());
			assertThat(onNode.stream().map(Entry::sql).distinct()).as("what the monitor sends %s", node.name())
				.hasSize(1);
			System.out.printf("[statements] monitor on %s: %d commands, e.g. %s%n", node.name(), onNode.size(),
					onNode.stream().map(Entry::sql).distinct().toList());
		}
		return counts;
	}

}
