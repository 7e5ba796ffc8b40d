package io.github.replicarouting.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.consistency.ConsistencyToken;
import io.github.replicarouting.database.GtidPosition;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write a row, read it back at once through a {@code @ReadOnly} path: 10,000 times per read-your-writes mode over 8
 * threads, with one replica's replication paused (lag injected). Every sequence is its own scope, as a request is.
 */
@WithReplicationCluster
class ReadYourWritesLoadTests {

	private static final int SEQUENCES = 10_000;

	private static final int THREADS = 8;

	static final ReplicationCluster cluster = TestCluster.get();

	@AfterEach
	void resumeReplication() {
		for (String replica : List.of("replica-1", "replica-2")) {
			if (cluster.isReplicationPaused(replica)) {
				cluster.resumeReplication(replica);
			}
		}
		// A paused replica has tens of thousands of writes to apply, one at a time: on a loaded machine that took over
		// a minute, and the next test class then found it still behind. Wait for it here, however long it takes.
		cluster.awaitReplication(Duration.ofMinutes(5));
	}

	@Test
	void staleReadsPerModeWithALaggingReplica() throws Exception {
		Map<String, Outcome> outcomes = new LinkedHashMap<>();
		cluster.pauseReplication("replica-1");
		for (String mode : List.of("none", "sticky", "causal")) {
			try (ConfigurableApplicationContext context = start(mode)) {
				outcomes.put(mode, writeThenRead(context.getBean(ServerIds.class), mode, SEQUENCES));
			}
		}
		outcomes.forEach((mode, outcome) -> System.out.printf(
				"read-your-writes=%s, replica-1 paused: %d write->read sequences on %d threads in %d ms, %d stale "
						+ "reads, reads per node %s%n",
				mode, outcome.sequences(), THREADS, outcome.millis(), outcome.stale(), outcome.readsPerNode()));
		assertThat(outcomes.get("none").stale()).as("none must observe stale reads: the test can fail").isPositive();
		assertThat(outcomes.get("sticky").stale()).isZero();
		assertThat(outcomes.get("causal").stale()).isZero();
		assertThat(outcomes.get("causal").readsPerNode()).containsKey("replica-2");
	}

	@Test
	void causalReadsAreNeverStaleWhenCommitsPositionsComeFromSessionTracking() throws Exception {
		// MySQL Connector/J reads each commit's GTID from the commit's reply (no SELECT @@last_gtid).
		cluster.pauseReplication("replica-1");
		try (ConfigurableApplicationContext context = start("causal", "mysql")) {
			Outcome outcome = writeThenRead(context.getBean(ServerIds.class), "causal-tracked", SEQUENCES);
			System.out.printf("read-your-writes=causal through MySQL Connector/J (session tracking), replica-1 paused: "
					+ "%d write->read sequences on %d threads in %d ms, %d stale reads, reads per node %s%n",
					outcome.sequences(), THREADS, outcome.millis(), outcome.stale(), outcome.readsPerNode());
			assertThat(outcome.stale()).isZero();
			assertThat(outcome.readsPerNode()).containsKey("replica-2");
		}
	}

	@Test
	void writesWithoutTransactionAreReadBackToo() {
		cluster.pauseReplication("replica-1");
		cluster.pauseReplication("replica-2");
		for (String mode : List.of("causal", "sticky")) {
			try (ConfigurableApplicationContext context = start(mode)) {
				ServerIds serverIds = context.getBean(ServerIds.class);
				String name = "autocommit-" + mode + "-" + System.nanoTime();
				try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
					// JdbcTemplate.update outside any transaction: the statement commits on its own.
					serverIds.insertWithoutTransaction(name);
					ConsistencyToken token = ConsistencyContext.currentToken();
					assertThat(token).as(mode + ": the write is recorded").isNotNull();
					if (mode.equals("causal")) {
						assertThat(token.gtid()).isNotBlank();
					}
					long[] answer = serverIds.serverIdAndCount(name);
					System.out.printf("read-your-writes=%s, both replicas paused: write without a transaction, read "
							+ "back on %s, rows seen %d%n", mode, cluster.nodeName(answer[0]), answer[1]);
					assertThat(answer[1]).as(mode + ": the read sees its own write").isEqualTo(1);
				}
			}
		}
	}

	@Test
	void causalReadsStayOnCaughtUpReplicasWithoutExtraRoundTrips() {
		try (ConfigurableApplicationContext context = start("causal")) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			String name = "causal-caught-up-" + System.nanoTime();
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId(name);
				ConsistencyToken token = ConsistencyContext.currentToken();
				assertThat(token).isNotNull();
				assertThat(token.gtid()).isNotBlank();
				GtidPosition write = GtidPosition.parseMariaDb(token.gtid());
				Duration seen = LoadRun.awaitCondition(Duration.ofSeconds(10), () -> topology.getReplicas()
					.stream()
					.allMatch((replica) -> applied(topology, replica, write)));
				assertThat(seen).as("monitor saw both replicas apply the write").isNotNull();

				int reads = 200;
				long selectsBefore = selects();
				long started = System.nanoTime();
				Map<String, Integer> perNode = new TreeMap<>();
				for (int i = 0; i < reads; i++) {
					long[] answer = serverIds.serverIdAndCount(name);
					assertThat(answer[1]).isEqualTo(1);
					perNode.merge(cluster.nodeName(answer[0]), 1, Integer::sum);
				}
				long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
				long selects = selects() - selectsBefore;
				System.out.printf("causal, replicas caught up: %d reads in one scope in %d ms, per node %s; SELECTs "
						+ "counted on the replicas: %d, i.e. %d besides the reads (monitors of every open application "
						+ "context and the counter queries); a wait per read would add %d%n", reads, elapsedMillis,
						perNode, selects, selects - reads, reads);
				assertThat(perNode).containsOnlyKeys("replica-1", "replica-2");
				// One wait statement per read would double the count; monitors add a few per second.
				assertThat(selects).isLessThan(reads + reads / 2);
			}
		}
	}

	@Test
	void causalReadsGoToThePrimaryWhenNoReplicaCatchesUp() throws Exception {
		cluster.pauseReplication("replica-1");
		cluster.pauseReplication("replica-2");
		try (ConfigurableApplicationContext context = start("causal")) {
			Outcome outcome = writeThenRead(context.getBean(ServerIds.class), "causal", 400);
			System.out.printf("causal, both replicas paused: %d sequences in %d ms (%.2f ms each on %d threads), %d "
					+ "stale, reads per node %s%n", outcome.sequences(), outcome.millis(),
					outcome.millis() * (double) THREADS / outcome.sequences(), THREADS, outcome.stale(),
					outcome.readsPerNode());
			assertThat(outcome.stale()).isZero();
			assertThat(outcome.readsPerNode()).containsOnlyKeys("primary");
		}
	}

	private static boolean applied(Topology topology, DataSourceNode replica, GtidPosition write) {
		GtidPosition position = topology.positionOf(replica);
		return position != null && position.includes(write);
	}

	private static long selects() {
		long total = 0;
		for (String replica : List.of("replica-1", "replica-2")) {
			total += cluster.queryLong(replica,
					"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_SELECT'");
		}
		return total;
	}

	private static Outcome writeThenRead(ServerIds serverIds, String mode, int sequences) throws Exception {
		AtomicInteger next = new AtomicInteger();
		AtomicInteger stale = new AtomicInteger();
		Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
		String prefix = "ryw-" + mode + "-" + System.nanoTime() + "-";
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		long started = System.nanoTime();
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				workers.add(executor.submit(() -> {
					for (int i = next.getAndIncrement(); i < sequences; i = next.getAndIncrement()) {
						try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
							String name = prefix + i;
							serverIds.insertReturningServerId(name);
							long[] answer = serverIds.serverIdAndCount(name);
							perNode.computeIfAbsent(cluster.nodeName(answer[0]), (key) -> new AtomicInteger())
								.incrementAndGet();
							if (answer[1] == 0) {
								stale.incrementAndGet();
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		Map<String, Integer> counts = new TreeMap<>();
		perNode.forEach((node, count) -> counts.put(node, count.get()));
		return new Outcome(sequences, stale.get(), counts, (System.nanoTime() - started) / 1_000_000);
	}

	private static ConfigurableApplicationContext start(String mode) {
		return start(mode, "mariadb");
	}

	private static ConfigurableApplicationContext start(String mode, String scheme) {
		Map<String, Object> properties = TestCluster.properties(scheme);
		properties.put("routing.datasource.read-your-writes", mode);
		properties.put("routing.datasource.hikari.maximum-pool-size", THREADS);
		properties.put("routing.datasource.lag-check-interval", "500ms");
		return new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

	record Outcome(int sequences, int stale, Map<String, Integer> readsPerNode, long millis) {
	}

}
