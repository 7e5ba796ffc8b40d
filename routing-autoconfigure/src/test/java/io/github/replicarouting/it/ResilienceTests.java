package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.replicarouting.NoReplicaAvailableException;
import io.github.replicarouting.NoWritablePrimaryException;
import io.github.replicarouting.it.LoadRun.Call;
import io.github.replicarouting.routing.ReadOnlyViolations;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.FirstProbes;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults under concurrent load (8 threads, at least 10 s each), on the embedded cluster. Every test prints its figures.
 */
@WithReplicationCluster
class ResilienceTests {

	private static final int THREADS = 8;

	private static final int POOL_SIZE = 8;

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration LIMIT = Duration.ofSeconds(90);

	static final ReplicationCluster cluster = TestCluster.get();

	@AfterEach
	void restoreCluster() {
		for (String node : List.of("primary", "standby-1", "replica-1", "replica-2")) {
			cluster.startNode(node);
		}
		if (cluster.isReadOnly(ReplicationCluster.PRIMARY)) {
			cluster.setReadOnly("standby-1", true);
			cluster.setReadOnly(ReplicationCluster.PRIMARY, false);
		}
		for (String replica : List.of("replica-1", "replica-2")) {
			if (cluster.isReplicationPaused(replica)) {
				cluster.resumeReplication(replica);
			}
		}
		cluster.awaitReplication(Duration.ofSeconds(60));
	}

	@Test
	void replicaKilledMidLoad() {
		Figures figures = killReplicaUnderLoad(false);
		// Only reads already holding one of its connections can fail: at most one per connection of its pool.
		assertThat(figures.failures()).isLessThanOrEqualTo(POOL_SIZE);
	}

	@Test
	void replicaKilledMidLoadWithRetryOfFailedReads() {
		Figures figures = killReplicaUnderLoad(true);
		assertThat(figures.failures()).isZero();
	}

	private Figures killReplicaUnderLoad(boolean retry) {
		try (ConfigurableApplicationContext context = start(Map.of("routing.datasource.retry-failed-reads", retry))) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			LoadRun load = new LoadRun("reader", THREADS, LIMIT, () -> cluster.nodeName(serverIds.readOnly()));
			LoadRun.sleep(Duration.ofSeconds(3));
			long killedAt = System.nanoTime();
			cluster.killNode("replica-1");
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.getStatus("replica-1").state() == NodeState.DOWN);
			long detectedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(4));
			long restartedAt = System.nanoTime();
			cluster.startNode("replica-1");
			Duration readmitted = LoadRun.awaitCondition(Duration.ofSeconds(20),
					() -> topology.getStatus("replica-1").state() == NodeState.UP);
			long readmittedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(3));
			List<Call> calls = load.stop();

			List<Call> failures = LoadRun.select(calls, Call::failed);
			List<Call> startedAfterKill = LoadRun.select(calls, (call) -> call.startedAfter(killedAt));
			List<Call> whileDown = LoadRun.select(calls,
					(call) -> call.startedAfter(detectedAt) && call.startedBefore(restartedAt));
			List<Call> afterReadmission = LoadRun.select(calls, (call) -> call.startedAfter(readmittedAt));
			System.out.printf("replica killed mid-load (retry-failed-reads=%s): %d reads in %d s on %d threads, "
					+ "%d failed (%d of them started after the kill began); out of rotation %d ms after the kill returned; "
					+ "re-admitted %d ms after restart; reads per node before the kill %s, while down %s, after "
					+ "re-admission %s%n", retry, calls.size(), LoadRun.millis(System.nanoTime() - killedAt) / 1000 + 3,
					THREADS, failures.size(), LoadRun.select(failures, (call) -> call.startedAfter(killedAt)).size(),
					detected.toMillis(), readmitted.toMillis(),
					LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedBefore(killedAt))),
					LoadRun.perNode(whileDown), LoadRun.perNode(afterReadmission));
			failures.stream().limit(3).forEach((call) -> System.out.println("  failure: " + call.failure()));

			assertThat(detected).as("replica-1 taken out of rotation").isNotNull();
			assertThat(readmitted).as("replica-1 re-admitted").isNotNull();
			assertThat(LoadRun.perNode(whileDown)).containsOnlyKeys("replica-2");
			assertThat(LoadRun.perNode(afterReadmission)).containsKeys("replica-1", "replica-2");
			assertThat(startedAfterKill).isNotEmpty();
			return new Figures(calls.size(), failures.size());
		}
	}

	@Test
	void bothReplicasKilled() {
		try (ConfigurableApplicationContext fallback = start(Map.of("routing.datasource.retry-failed-reads", true));
				ConfigurableApplicationContext failFast = start(Map.of("routing.datasource.fallback-to-primary", false))) {
			ServerIds fallbackReads = fallback.getBean(ServerIds.class);
			ServerIds failFastReads = failFast.getBean(ServerIds.class);
			Topology failFastTopology = failFast.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger clearErrors = new AtomicInteger();
			AtomicLong otherErrors = new AtomicLong();
			LoadRun withFallback = new LoadRun("fallback", THREADS / 2, LIMIT,
					() -> cluster.nodeName(fallbackReads.readOnly()));
			LoadRun withoutFallback = new LoadRun("fail-fast", THREADS / 2, LIMIT, () -> {
				try {
					return cluster.nodeName(failFastReads.readOnly());
				}
				catch (NoReplicaAvailableException ex) {
					boolean clear = ex.getMessage().contains("replica-1 is DOWN")
							&& ex.getMessage().contains("replica-2 is DOWN");
					if (clear) {
						clearErrors.incrementAndGet();
					}
					throw ex;
				}
				catch (RuntimeException ex) {
					otherErrors.incrementAndGet();
					throw ex;
				}
			});
			LoadRun.sleep(Duration.ofSeconds(2));
			long killedAt = System.nanoTime();
			cluster.killNode("replica-1");
			cluster.killNode("replica-2");
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> failFastTopology.eligibleReplicas().isEmpty());
			long detectedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(5));
			long restartedAt = System.nanoTime();
			cluster.startNode("replica-1");
			cluster.startNode("replica-2");
			Duration readmitted = LoadRun.awaitCondition(Duration.ofSeconds(30),
					() -> failFastTopology.eligibleReplicas().size() == 2);
			long readmittedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(3));
			List<Call> fallbackCalls = withFallback.stop();
			List<Call> failFastCalls = withoutFallback.stop();

			List<Call> fallbackWhileDown = LoadRun.select(fallbackCalls,
					(call) -> call.startedAfter(detectedAt) && call.startedBefore(restartedAt));
			List<Call> failFastWhileDown = LoadRun.select(failFastCalls,
					(call) -> call.startedAfter(detectedAt) && call.startedBefore(restartedAt));
			System.out.printf("both replicas killed: detection %d ms, re-admission %d ms after restart; "
					+ "fallback-to-primary=true: %d reads, %d failed, per node while down %s, after re-admission %s; "
					+ "fallback-to-primary=false: %d reads while down (all failed fast), %d NoReplicaAvailableException naming both replicas DOWN over the run, "
					+ "%d other errors, longest failing call %d ms%n", detected.toMillis(), readmitted.toMillis(),
					fallbackCalls.size(), LoadRun.select(fallbackCalls, Call::failed).size(),
					LoadRun.perNode(fallbackWhileDown),
					LoadRun.perNode(LoadRun.select(fallbackCalls, (call) -> call.startedAfter(readmittedAt))),
					failFastWhileDown.size(), clearErrors.get(), otherErrors.get(),
					failFastWhileDown.stream().mapToLong((call) -> LoadRun.millis(call.end() - call.start())).max()
						.orElse(0));
			LoadRun.select(failFastWhileDown, Call::failed).stream().limit(1)
				.forEach((call) -> System.out.println("  the error: " + call.failure().getMessage()));
			LoadRun.select(fallbackCalls, Call::failed).stream().limit(3)
				.forEach((call) -> System.out.println("  a failed read with fallback: " + call.failure()));

			assertThat(detected).isNotNull();
			assertThat(readmitted).isNotNull();
			assertThat(LoadRun.select(fallbackCalls, Call::failed)).isEmpty();
			assertThat(LoadRun.perNode(fallbackWhileDown)).containsOnlyKeys("primary");
			assertThat(failFastWhileDown).isNotEmpty().allMatch(Call::failed)
				.allMatch((call) -> call.failure() instanceof NoReplicaAvailableException);
			assertThat(LoadRun.perNode(LoadRun.select(fallbackCalls, (call) -> call.startedAfter(readmittedAt))))
				.containsKeys("replica-1", "replica-2");
		}
	}

	@Test
	void laggingReplicaLeavesRotationUntilItCatchesUp() {
		Map<String, Object> settings = Map.of("routing.datasource.max-replication-lag", "200ms");
		try (ConfigurableApplicationContext context = start(settings)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger sequence = new AtomicInteger();
			AtomicInteger staleFromPaused = new AtomicInteger();
			AtomicLong pausedAt = new AtomicLong(Long.MAX_VALUE);
			// Write a row, then read it back at once through a read-only path: which node answered, did it have it?
			LoadRun load = new LoadRun("write-then-read", THREADS, LIMIT, () -> {
				String name = "lag-" + sequence.incrementAndGet();
				serverIds.insertReturningServerId(name);
				long[] answer = serverIds.serverIdAndCount(name);
				String node = cluster.nodeName(answer[0]);
				if (answer[1] == 0 && node.equals("replica-1") && System.nanoTime() > pausedAt.get()) {
					staleFromPaused.incrementAndGet();
				}
				return node;
			});
			LoadRun.sleep(Duration.ofSeconds(2));
			cluster.pauseReplication("replica-1");
			long paused = System.nanoTime();
			pausedAt.set(paused);
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.getStatus("replica-1").state() == NodeState.LAGGING);
			long excludedFrom = paused + 2 * INTERVAL.toNanos();
			LoadRun.sleep(Duration.ofSeconds(5));
			long resumedAt = System.nanoTime();
			cluster.resumeReplication("replica-1");
			Duration caughtUp = LoadRun.awaitCondition(Duration.ofSeconds(20),
					() -> topology.getStatus("replica-1").state() == NodeState.UP);
			long backAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(3));
			List<Call> calls = load.stop();

			List<Call> afterTwoIntervals = LoadRun.select(calls,
					(call) -> call.startedAfter(excludedFrom) && call.startedBefore(resumedAt));
			System.out.printf("replica paused with max-replication-lag=200ms, check interval %d ms: %d write-then-read "
					+ "sequences, %d failed; LAGGING detected %d ms after the pause; reads per node from two intervals "
					+ "after the pause until resume %s; stale reads from the paused replica after the pause: %d; back "
					+ "in rotation %d ms after resume; reads per node after that %s%n", INTERVAL.toMillis(),
					calls.size(), LoadRun.select(calls, Call::failed).size(), detected.toMillis(),
					LoadRun.perNode(afterTwoIntervals), staleFromPaused.get(), caughtUp.toMillis(),
					LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(backAt))));

			assertThat(detected).isNotNull();
			assertThat(LoadRun.perNode(afterTwoIntervals)).doesNotContainKey("replica-1").containsKey("replica-2");
			assertThat(caughtUp).isNotNull();
			assertThat(LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(backAt))))
				.containsKey("replica-1");
			assertThat(LoadRun.select(calls, Call::failed)).isEmpty();
		}
	}

	@Test
	void writesFollowPlannedSwitchoverToStandby() {
		Map<String, Object> settings = Map.of("routing.datasource.standbys.standby-1.url",
				cluster.node("standby-1").jdbcUrl("mariadb"));
		try (ConfigurableApplicationContext context = start(settings)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger sequence = new AtomicInteger();
			String prefix = "switch-" + System.nanoTime() + "-";
			LoadRun writers = new LoadRun("writer", THREADS, LIMIT,
					() -> cluster.nodeName(serverIds.insertReturningServerId(prefix + sequence.incrementAndGet())));
			LoadRun.sleep(Duration.ofSeconds(3));
			// Planned switchover, as an operator does it: stop writes on the primary, then open the standby.
			long flippedAt = System.nanoTime();
			cluster.setReadOnly(ReplicationCluster.PRIMARY, true);
			cluster.setReadOnly("standby-1", false);
			Duration followed = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.writer() != null && topology.writer().getName().equals("standby-1"));
			LoadRun.sleep(Duration.ofSeconds(4));
			long flippedBackAt = System.nanoTime();
			cluster.setReadOnly("standby-1", true);
			cluster.setReadOnly(ReplicationCluster.PRIMARY, false);
			Duration followedBack = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.writer() != null && topology.writer().getName().equals("primary"));
			LoadRun.sleep(Duration.ofSeconds(3));
			List<Call> calls = writers.stop();
			cluster.awaitReplication(Duration.ofSeconds(30));

			List<Call> succeeded = LoadRun.select(calls, (call) -> !call.failed());
			List<Call> failed = LoadRun.select(calls, Call::failed);
			Map<String, Integer> perNode = LoadRun.perNode(succeeded);
			System.out.printf("switchover primary -> standby-1 -> primary under %d writer threads: %d writes "
					+ "committed, %d failed (rejected by a read-only node during the flips); writes followed within "
					+ "%d ms and %d ms (check interval %d ms); committed per node %s%n", THREADS, succeeded.size(),
					failed.size(), followed.toMillis(), followedBack.toMillis(), INTERVAL.toMillis(), perNode);
			failed.stream().limit(1).forEach((call) -> System.out.println("  a failed write: " + call.failure()));

			assertThat(followed).isNotNull();
			assertThat(followedBack).isNotNull();
			assertThat(perNode).containsKeys("primary", "standby-1");
			// Nothing lost, nothing duplicated: exactly the committed writes exist, on every node.
			for (String node : List.of("primary", "standby-1", "replica-1", "replica-2")) {
				assertThat(TestCluster.count(cluster, node, "item", "name LIKE '" + prefix + "%'")).as(node)
					.isEqualTo(succeeded.size());
			}
			assertThat(flippedBackAt).isGreaterThan(flippedAt);
		}
	}

	@Test
	void writerThatRefusesAWriteIsCheckedAtOnce() {
		// The monitor looks again only in an hour: only the refused write can make writes follow the switchover.
		Map<String, Object> settings = Map.of("routing.datasource.standbys.standby-1.url",
				cluster.node("standby-1").jdbcUrl("mariadb"), "routing.datasource.lag-check-interval", "1h");
		try (ConfigurableApplicationContext context = start(settings)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			String prefix = "refused-" + System.nanoTime() + "-";
			assertThat(cluster.nodeName(serverIds.insertReturningServerId(prefix + 1))).isEqualTo("primary");
			// With a 1 h interval the first round is the monitor's only one: it must not land between the two flips.
			FirstProbes.await(topology);
			cluster.setReadOnly(ReplicationCluster.PRIMARY, true);
			cluster.setReadOnly("standby-1", false);
			assertThat(topology.writer().getName()).as("no check before the refused write").isEqualTo("primary");
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> serverIds.insertReturningServerId(prefix + 2))
				.satisfies((ex) -> assertThat(ReadOnlyViolations.isReadOnlyViolation(ex)).isTrue());
			Duration followed = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology.writer() != null && topology.writer().getName().equals("standby-1"));
			System.out.printf("writer refused a write: writes moved to standby-1 %d ms later (interval 1 h)%n",
					(followed != null) ? followed.toMillis() : -1);
			assertThat(followed).isNotNull();
			assertThat(cluster.nodeName(serverIds.insertReturningServerId(prefix + 3))).isEqualTo("standby-1");
			cluster.awaitReplication(Duration.ofSeconds(30));
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name LIKE '" + prefix + "%'"))
				.as("the refused write is nowhere, the others everywhere")
				.isEqualTo(2);
		}
	}

	@Test
	void primaryKilledWithoutStandby() {
		try (ConfigurableApplicationContext context = start(Map.of())) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			Topology topology = context.getBean(RoutingDataSource.class).getTopology();
			AtomicInteger sequence = new AtomicInteger();
			LoadRun readers = new LoadRun("reader", THREADS / 2, LIMIT, () -> cluster.nodeName(serverIds.readOnly()));
			LoadRun writers = new LoadRun("writer", THREADS / 2, LIMIT,
					() -> cluster.nodeName(serverIds.insertReturningServerId("killed-" + sequence.incrementAndGet())));
			LoadRun.sleep(Duration.ofSeconds(2));
			long killedAt = System.nanoTime();
			cluster.killNode(ReplicationCluster.PRIMARY);
			Duration detected = LoadRun.awaitCondition(Duration.ofSeconds(10), () -> topology.writer() == null);
			long detectedAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(5));
			long restartedAt = System.nanoTime();
			cluster.startNode(ReplicationCluster.PRIMARY);
			Duration recovered = LoadRun.awaitCondition(Duration.ofSeconds(30), () -> topology.writer() != null);
			long recoveredAt = System.nanoTime();
			LoadRun.sleep(Duration.ofSeconds(3));
			List<Call> reads = readers.stop();
			List<Call> writes = writers.stop();

			List<Call> writesWhileDown = LoadRun.select(writes,
					(call) -> call.startedAfter(detectedAt) && call.startedBefore(restartedAt));
			List<Call> writesBeforeDetection = LoadRun.select(writes,
					(call) -> call.startedAfter(killedAt) && call.startedBefore(detectedAt));
			List<Call> readsAfterKill = LoadRun.select(reads,
					(call) -> call.startedAfter(killedAt) && call.startedBefore(restartedAt));
			System.out.printf("primary killed, no standby: detected %d ms after the kill; writes before detection "
					+ "%d (slowest %d ms, failover-timeout %d ms), writes while down %d, all failed with "
					+ "NoWritablePrimaryException: %s, slowest %d ms; reads while the primary was down %d, failed %d, "
					+ "per node %s; writes accepted again %d ms after restart, committed after that %d%n",
					detected.toMillis(), writesBeforeDetection.size(), slowest(writesBeforeDetection),
					FAILOVER_TIMEOUT.toMillis(), writesWhileDown.size(),
					writesWhileDown.stream().allMatch((call) -> call.failure() instanceof NoWritablePrimaryException),
					slowest(writesWhileDown), readsAfterKill.size(),
					LoadRun.select(readsAfterKill, Call::failed).size(), LoadRun.perNode(readsAfterKill),
					recovered.toMillis(),
					LoadRun.select(writes, (call) -> call.startedAfter(recoveredAt) && !call.failed()).size());
			writesWhileDown.stream().limit(1).forEach((call) -> System.out.println("  the error: "
					+ call.failure().getMessage()));

			assertThat(detected).isNotNull();
			assertThat(writesWhileDown).isNotEmpty()
				.allMatch((call) -> call.failure() instanceof NoWritablePrimaryException);
			assertThat(LoadRun.select(readsAfterKill, Call::failed)).isEmpty();
			assertThat(LoadRun.perNode(readsAfterKill)).containsOnlyKeys("replica-1", "replica-2");
			assertThat(recovered).isNotNull();
			assertThat(LoadRun.select(writes, (call) -> call.startedAfter(recoveredAt) && !call.failed())).isNotEmpty();
		}
	}

	private static long slowest(List<Call> calls) {
		return calls.stream().mapToLong((call) -> LoadRun.millis(call.end() - call.start())).max().orElse(0);
	}

	private static ConfigurableApplicationContext start(Map<String, Object> overrides) {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("routing.datasource.hikari.maximum-pool-size", POOL_SIZE);
		properties.put("routing.datasource.lag-check-interval", INTERVAL.toMillis() + "ms");
		properties.put("routing.datasource.failover-timeout", FAILOVER_TIMEOUT.toMillis() + "ms");
		properties.putAll(overrides);
		return new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

	record Figures(int calls, int failures) {
	}

}
