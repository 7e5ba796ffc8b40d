package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.replicarouting.NoWritablePrimaryException;
import io.github.replicarouting.NodeNotAnsweringException;
import io.github.replicarouting.actuate.RoutingNodeMetrics;
import io.github.replicarouting.it.LoadRun.Call;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frozen nodes (SIGSTOP: the kernel still accepts TCP connections, the server answers nothing) under 8 threads of
 * load, each frozen for 10 s. Nothing may wait on a frozen node longer than one check interval plus
 * {@code failover-timeout} (plus the monitor's 100 ms of grace): the monitor notices, takes it out of rotation and
 * aborts its connections. Every test prints its figures.
 */
@WithReplicationCluster
class FrozenNodeTests {

	private static final int THREADS = 8;

	private static final int POOL_SIZE = 8;

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(1);

	/** What the README promises: one interval plus the failover timeout, plus the monitor's grace. */
	private static final Duration BOUND = INTERVAL.plus(FAILOVER_TIMEOUT).plusMillis(100);

	/**
	 * Room for a loaded CI machine on top of the bound. A stall would last the whole freeze (10 s), so this still
	 * tells the two apart.
	 */
	private static final Duration SLACK = Duration.ofMillis(1500);

	private static final Duration FROZEN_FOR = Duration.ofSeconds(10);

	private static final Duration LIMIT = Duration.ofSeconds(90);

	static final ReplicationCluster cluster = TestCluster.get();

	@AfterEach
	void restoreCluster() {
		for (String node : List.of("primary", "standby-1", "replica-1", "replica-2")) {
			cluster.thawNode(node);
		}
		if (!cluster.isReadOnly("standby-1")) {
			cluster.setReadOnly("standby-1", true);
		}
		cluster.awaitReplication(Duration.ofSeconds(60));
	}

	@Test
	void frozenReplicaIsGivenUpWithinTheBound() {
		Figures figures = freezeReplicaUnderLoad(false);
		// Only the reads waiting on it when it was found frozen fail: at most one per connection of its pool.
		assertThat(figures.failures()).isLessThanOrEqualTo(POOL_SIZE);
		assertThat(figures.failureTypes()).allMatch((failure) -> failure instanceof NodeNotAnsweringException
				&& ((NodeNotAnsweringException) failure).getNode().equals("replica-1")
				&& failure.getMessage().contains("stopped answering"));
	}

	@Test
	void frozenReplicaWithRetryOfFailedReadsFailsNothing() {
		Figures figures = freezeReplicaUnderLoad(true);
		assertThat(figures.failures()).isZero();
	}

	@Test
	void frozenReplicaIsGivenUpWithinTheBoundThroughMySqlConnectorJ() {
		Figures figures = freezeReplicaUnderLoad(false, "mysql");
		assertThat(figures.failures()).isLessThanOrEqualTo(POOL_SIZE);
		assertThat(figures.failureTypes()).allMatch((failure) -> failure instanceof NodeNotAnsweringException);
	}

	private Figures freezeReplicaUnderLoad(boolean retry) {
		return freezeReplicaUnderLoad(retry, "mariadb");
	}

	private Figures freezeReplicaUnderLoad(boolean retry, String scheme) {
		try (ConfigurableApplicationContext context = start(Map.of("routing.datasource.retry-failed-reads", retry),
				scheme)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			LoadRun load = new LoadRun("reader", THREADS, LIMIT, () -> cluster.nodeName(serverIds.readOnly()));
			LoadRun.sleep(Duration.ofSeconds(2));
			long frozenAt = System.nanoTime();
			cluster.freezeNode("replica-1");
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.getStatus("replica-1").state() == NodeState.DOWN);
			long detectedAt = System.nanoTime();
			// The router may take it out first (a pool whose connections are all stuck times out); the monitor's
			// finding follows within the bound.
			LoadRun.awaitCondition(Duration.ofSeconds(5),
					() -> topology.getStatus("replica-1").reason().startsWith("not answering"));
			String reason = topology.getStatus("replica-1").reason();
			LoadRun.sleep(FROZEN_FOR.minus(Duration.ofNanos(detectedAt - frozenAt)));
			long thawedAt = System.nanoTime();
			cluster.thawNode("replica-1");
			Duration readmitted = LoadRun.awaitCondition(Duration.ofSeconds(20),
					() -> topology.getStatus("replica-1").state() == NodeState.UP);
			long readmittedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(2));
			List<Call> calls = load.stop();

			List<Call> failures = LoadRun.select(calls, Call::failed);
			List<Call> duringFreeze = LoadRun.select(calls,
					(call) -> call.end() > frozenAt && call.startedBefore(thawedAt));
			List<Call> afterDetection = LoadRun.select(calls,
					(call) -> call.startedAfter(detectedAt) && call.startedBefore(thawedAt));
			long slowest = slowest(duringFreeze);
			System.out.printf("replica frozen for %d s under %d threads (%s driver, retry-failed-reads=%s, "
					+ "interval %d ms, failover-timeout %d ms, bound %d ms): %d reads, %d failed; detected %d ms after the freeze "
					+ "(%s); slowest read during the freeze %d ms, %d reads slower than the bound; reads per node "
					+ "during the freeze %s, after detection %s; back in rotation %d ms after the thaw; after that "
					+ "%s%n", FROZEN_FOR.toSeconds(), THREADS, scheme, retry, INTERVAL.toMillis(),
					FAILOVER_TIMEOUT.toMillis(),
					BOUND.toMillis(), calls.size(), failures.size(), detected.toMillis(),
					reason, slowest, slowerThan(duringFreeze, BOUND),
					LoadRun.perNode(duringFreeze), LoadRun.perNode(afterDetection), readmitted.toMillis(),
					LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(readmittedAt))));
			failures.stream().limit(2).forEach((call) -> System.out.println("  failure: " + call.failure()));

			assertThat(detected).as("replica-1 found frozen").isNotNull();
			assertThat(reason).startsWith("not answering");
			assertThat(context.getBean(MeterRegistry.class)
				.get(RoutingNodeMetrics.ABORTED)
				.tag("node", "replica-1")
				.functionCounter()
				.count()).as("aborted connections counted").isPositive();
			assertThat(Duration.ofMillis(slowest)).as("slowest read during the freeze").isLessThan(BOUND.plus(SLACK));
			assertThat(LoadRun.perNode(afterDetection)).as("no read picks a frozen node")
				.containsOnlyKeys("replica-2");
			assertThat(readmitted).as("replica-1 back in rotation after the thaw").isNotNull();
			assertThat(LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(readmittedAt))))
				.containsKeys("replica-1", "replica-2");
			return new Figures(calls.size(), failures.size(), failures.stream().map(Call::failure).toList());
		}
	}

	@Test
	void frozenPrimaryWithoutStandby() {
		WriteFigures figures = freezePrimaryUnderLoad(Map.of(), "frozen-alone-");
		// Writes waiting on it when it was found frozen fail with an unknown outcome; later ones fail at once.
		assertThat(figures.failures()).allMatch((failure) -> isUnknownOutcome(failure)
				|| failure instanceof NoWritablePrimaryException);
		assertThat(figures.failures()).anyMatch((failure) -> failure instanceof NoWritablePrimaryException);
		assertThat(figures.committedAfterDetection()).isZero();
	}

	@Test
	void frozenPrimaryWithWritableStandby() {
		cluster.setReadOnly("standby-1", false);
		WriteFigures figures = freezePrimaryUnderLoad(
				Map.of("routing.datasource.standbys.standby-1.url", cluster.node("standby-1").jdbcUrl("mariadb")),
				"frozen-standby-");
		// Only the writes waiting on the primary fail; the others follow the standby.
		assertThat(figures.failures()).hasSizeLessThanOrEqualTo(POOL_SIZE)
			.allMatch(FrozenNodeTests::isUnknownOutcome);
		assertThat(figures.committedPerNodeAfterDetection()).containsOnlyKeys("standby-1");
	}

	private WriteFigures freezePrimaryUnderLoad(Map<String, Object> settings, String prefix) {
		try (ConfigurableApplicationContext context = start(settings)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger sequence = new AtomicInteger();
			LoadRun readers = new LoadRun("reader", THREADS / 2, LIMIT, () -> cluster.nodeName(serverIds.readOnly()));
			LoadRun writers = new LoadRun("writer", THREADS / 2, LIMIT, () -> {
				String name = prefix + sequence.incrementAndGet();
				try {
					return name + "@" + cluster.nodeName(serverIds.insertReturningServerId(name));
				}
				catch (RuntimeException ex) {
					throw new WriteFailure(name, ex);
				}
			});
			LoadRun.sleep(Duration.ofSeconds(2));
			long frozenAt = System.nanoTime();
			cluster.freezeNode(ReplicationCluster.PRIMARY);
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.getStatus(ReplicationCluster.PRIMARY).state() == NodeState.DOWN);
			long detectedAt = System.nanoTime();
			LoadRun.sleep(FROZEN_FOR.minus(Duration.ofNanos(detectedAt - frozenAt)));
			List<Call> writes = writers.stop();
			List<Call> reads = readers.stop();
			cluster.thawNode(ReplicationCluster.PRIMARY);
			Duration writerBack = LoadRun.awaitCondition(Duration.ofSeconds(20), () -> topology.writer() != null
					&& topology.writer().getName().equals(ReplicationCluster.PRIMARY));
			cluster.awaitReplication(Duration.ofSeconds(60));

			List<Call> succeeded = LoadRun.select(writes, (call) -> !call.failed());
			List<Call> failed = LoadRun.select(writes, Call::failed);
			List<Exception> failures = failed.stream().map((call) -> ((WriteFailure) call.failure()).failure).toList();
			List<Call> writesDuringFreeze = LoadRun.select(writes, (call) -> call.end() > frozenAt);
			List<Call> readsDuringFreeze = LoadRun.select(reads, (call) -> call.end() > frozenAt);
			Map<String, Integer> committedAfterDetection = LoadRun.perNode(LoadRun.select(succeeded,
					(call) -> call.startedAfter(detectedAt)).stream().map(FrozenNodeTests::servedBy).toList());
			long unknown = failures.stream().filter(FrozenNodeTests::isUnknownOutcome).count();
			System.out.printf("primary frozen for %d s (%s), %d writer and %d reader threads (bound %d ms): detected "
					+ "%d ms after the freeze; %d writes committed, %d failed (%d with an unknown outcome, %d "
					+ "NoWritablePrimaryException), slowest write during the freeze %d ms, %d slower than the bound; "
					+ "committed after detection per node %s; reads during the freeze %d, failed %d, per node %s; "
					+ "writes back on the primary %s ms after the thaw%n", FROZEN_FOR.toSeconds(),
					settings.isEmpty() ? "no standby" : "writable standby-1", THREADS / 2, THREADS / 2, BOUND.toMillis(),
					detected.toMillis(), succeeded.size(), failed.size(), unknown,
					failures.stream().filter((failure) -> failure instanceof NoWritablePrimaryException).count(),
					slowest(writesDuringFreeze), slowerThan(writesDuringFreeze, BOUND), committedAfterDetection,
					readsDuringFreeze.size(), LoadRun.select(readsDuringFreeze, Call::failed).size(),
					LoadRun.perNode(readsDuringFreeze), (writerBack != null) ? writerBack.toMillis() : "never");
			failures.stream().filter(FrozenNodeTests::isUnknownOutcome).limit(1)
				.forEach((failure) -> System.out.println("  the error: " + failure.getMessage()));

			assertThat(detected).as("primary found frozen").isNotNull();
			assertThat(Duration.ofMillis(slowest(writesDuringFreeze))).as("slowest write during the freeze")
				.isLessThan(BOUND.plus(SLACK));
			assertThat(LoadRun.select(readsDuringFreeze, Call::failed)).as("reads meanwhile").isEmpty();
			assertThat(LoadRun.perNode(readsDuringFreeze)).containsOnlyKeys("replica-1", "replica-2");
			assertThat(writerBack).as("writes back on the primary after the thaw").isNotNull();
			// Nothing lost, nothing duplicated: every committed write exists once on every node, and the only
			// others are writes whose outcome the caller was told is unknown.
			List<String> committed = succeeded.stream()
				.map((call) -> call.node().substring(0, call.node().indexOf('@')))
				.toList();
			for (String node : cluster.nodes().stream().map((each) -> each.name()).toList()) {
				List<String> rows = names(node, prefix);
				assertThat(Set.copyOf(rows)).as("no duplicate on " + node).hasSameSizeAs(rows);
				assertThat(rows).as("rows on " + node).containsAll(committed)
					.hasSizeBetween(committed.size(), committed.size() + (int) unknown);
			}
			return new WriteFigures(failures, committedAfterDetection.values().stream().mapToInt(Integer::intValue).sum(),
					committedAfterDetection);
		}
	}

	@Test
	void frozenReplicaDuringCausalWaits() {
		// Causal reads right after each write wait on a replica the monitor has not yet seen apply it.
		Map<String, Object> settings = Map.of("routing.datasource.read-your-writes", "causal",
				"routing.datasource.causal-wait-timeout", "3s", "routing.datasource.retry-failed-reads", true);
		try (ConfigurableApplicationContext context = start(settings)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger sequence = new AtomicInteger();
			AtomicInteger stale = new AtomicInteger();
			LoadRun load = new LoadRun("write-then-read", THREADS, LIMIT, () -> {
				String name = "causal-frozen-" + sequence.incrementAndGet();
				serverIds.insertReturningServerId(name);
				long start = System.nanoTime();
				long[] answer = serverIds.serverIdAndCount(name);
				if (answer[1] == 0) {
					stale.incrementAndGet();
				}
				return cluster.nodeName(answer[0]) + "@" + LoadRun.millis(System.nanoTime() - start);
			});
			LoadRun.sleep(Duration.ofSeconds(2));
			long frozenAt = System.nanoTime();
			cluster.freezeNode("replica-1");
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.getStatus("replica-1").state() == NodeState.DOWN);
			LoadRun.sleep(FROZEN_FOR.minus(Duration.ofNanos(System.nanoTime() - frozenAt)));
			List<Call> calls = load.stop();
			cluster.thawNode("replica-1");

			List<Call> duringFreeze = LoadRun.select(calls, (call) -> call.end() > frozenAt);
			List<Call> failures = LoadRun.select(calls, Call::failed);
			long slowestRead = duringFreeze.stream().filter((call) -> !call.failed())
				.mapToLong((call) -> Long.parseLong(call.node().substring(call.node().indexOf('@') + 1)))
				.max()
				.orElse(0);
			Map<String, Integer> perNode = LoadRun.perNode(duringFreeze.stream()
				.filter((call) -> !call.failed())
				.map((call) -> new Call(call.start(), call.end(), call.node().substring(0, call.node().indexOf('@')),
						null))
				.toList());
			System.out.printf("replica frozen during causal waits (causal-wait-timeout 3 s, bound %d ms): %d "
					+ "write-then-read sequences, %d failed, %d stale; detected %d ms after the freeze; slowest causal "
					+ "read during the freeze %d ms; reads per node during the freeze %s%n", BOUND.toMillis(),
					calls.size(), failures.size(), stale.get(), detected.toMillis(), slowestRead, perNode);
			failures.stream().limit(2).forEach((call) -> System.out.println("  failure: " + call.failure()));

			assertThat(detected).isNotNull();
			assertThat(stale.get()).as("stale reads").isZero();
			assertThat(failures).isEmpty();
			assertThat(Duration.ofMillis(slowestRead)).as("slowest causal read during the freeze")
				.isLessThan(BOUND.plus(SLACK));
		}
	}

	@Test
	void longQueryOnHealthyReplicaCompletes() {
		try (ConfigurableApplicationContext context = start(Map.of())) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			long start = System.nanoTime();
			String node = cluster.nodeName(serverIds.sleepThenServerId(30));
			long took = LoadRun.millis(System.nanoTime() - start);
			System.out.printf("a 30 s report query on %s, monitor probing every %d ms with failover-timeout %d ms: "
					+ "completed in %d ms%n", node, INTERVAL.toMillis(), FAILOVER_TIMEOUT.toMillis(), took);
			assertThat(node).startsWith("replica-");
			assertThat(took).isGreaterThanOrEqualTo(30_000);
		}
	}

	/** The names of the rows with this prefix on one node, asked of that node in one query. */
	private static List<String> names(String node, String prefix) {
		try (Connection connection = DriverManager.getConnection(cluster.node(node).jdbcUrl("mariadb"),
				cluster.username(), cluster.password());
				PreparedStatement statement = connection.prepareStatement("SELECT name FROM item WHERE name LIKE ?")) {
			statement.setString(1, prefix + "%");
			List<String> names = new ArrayList<>();
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					names.add(result.getString(1));
				}
			}
			return names;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the rows of " + node, ex);
		}
	}

	private static boolean isUnknownOutcome(Exception failure) {
		return failure instanceof NodeNotAnsweringException notAnswering && notAnswering.isWriteOutcomeUnknown()
				&& notAnswering.getNode().equals(ReplicationCluster.PRIMARY)
				&& failure.getMessage().contains("outcome of this call's writes is unknown");
	}

	/** The same call with only the node that served it, for calls that return {@code name@node}. */
	private static Call servedBy(Call call) {
		return new Call(call.start(), call.end(), call.node().substring(call.node().indexOf('@') + 1), null);
	}

	private static long slowest(List<Call> calls) {
		return calls.stream().mapToLong((call) -> LoadRun.millis(call.end() - call.start())).max().orElse(0);
	}

	private static long slowerThan(List<Call> calls, Duration bound) {
		return calls.stream().filter((call) -> call.end() - call.start() > bound.toNanos()).count();
	}

	private static ConfigurableApplicationContext start(Map<String, Object> overrides) {
		return start(overrides, "mariadb");
	}

	private static ConfigurableApplicationContext start(Map<String, Object> overrides, String scheme) {
		Map<String, Object> properties = TestCluster.properties(scheme);
		properties.put("routing.datasource.hikari.maximum-pool-size", POOL_SIZE);
		properties.put("routing.datasource.lag-check-interval", INTERVAL.toMillis() + "ms");
		properties.put("routing.datasource.failover-timeout", FAILOVER_TIMEOUT.toMillis() + "ms");
		properties.putAll(overrides);
		return new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

	record Figures(int calls, int failures, List<Exception> failureTypes) {
	}

	record WriteFigures(List<Exception> failures, int committedAfterDetection,
			Map<String, Integer> committedPerNodeAfterDetection) {
	}

	/** A failed write, named after the row it tried to insert. */
	static final class WriteFailure extends RuntimeException {

		private final transient Exception failure;

		WriteFailure(String name, Exception failure) {
			super(name, failure);
			this.failure = failure;
		}

	}

}
