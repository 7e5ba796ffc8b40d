package io.github.replicarouting.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.replicarouting.it.ActuatorClient.Response;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.AdministrativeState;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operating the fleet at run time through {@code POST /actuator/routing/{node}}, opened with
 * {@code management.endpoint.routing.access=unrestricted}: drain, maintenance, active and weights under 8 threads of
 * reads, each read counted by the server that answered it ({@code @@server_id}); bad input answered and changing
 * nothing. Prints the figures.
 */
@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class FleetOperationsTests {

	private static final Duration SETTLE = Duration.ofSeconds(30);

	static final ReplicationCluster cluster = TestCluster.get();

	private static ConfigurableApplicationContext context;

	private static ActuatorClient actuator;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("spring.main.web-application-type", "servlet");
		properties.put("server.port", "0");
		properties.put("management.endpoints.web.exposure.include", "health,routing");
		properties.put("management.endpoint.health.show-details", "always");
		properties.put("management.endpoint.routing.access", "unrestricted");
		properties.put("routing.datasource.load-balancing", "weighted");
		properties.put("routing.datasource.check-interval", "200ms");
		properties.put("routing.datasource.node-timeout", "2s");
		context = new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
		actuator = new ActuatorClient(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@AfterEach
	void activateEveryNode() {
		Topology topology = topology();
		for (DataSourceNode node : topology.getNodes()) {
			topology.setAdministrativeState(node.getName(), AdministrativeState.ACTIVE, "the test");
			if (node.getWeight() != 1) {
				topology.setWeight(node.getName(), 1, "the test");
			}
		}
		LoadRun.awaitCondition(SETTLE, () -> topology.eligibleReplicas().size() == 2);
	}

	@Test
	void drainUnderLoadFinishesInFlightReadsAndHandsOutNoNewConnection(CapturedOutput output) throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		List<LoadRun.Call> calls;
		long drainedAt;
		Duration emptied;
		List<String> longReads;
		ExecutorService longReaders = Executors.newFixedThreadPool(16);
		try (LoadRun load = new LoadRun("drain", 8, Duration.ofSeconds(60), this::read)) {
			LoadRun.sleep(Duration.ofSeconds(2));
			// Reads of 2 s each on both replicas, in flight when the drain comes: they must finish, not fail.
			List<CompletableFuture<String>> slow = new ArrayList<>();
			while (longReadsOn("replica-1") == 0 && slow.size() < 16) {
				for (int i = 0; i < 2; i++) {
					slow.add(CompletableFuture.supplyAsync(
							() -> cluster.nodeName(context.getBean(ServerIds.class).sleepThenServerId(2)), longReaders));
				}
				LoadRun.sleep(Duration.ofMillis(300));
			}
			long inFlightOnReplica1 = longReadsOn("replica-1");
			Response response = post("/actuator/routing/replica-1", "{\"state\":\"drain\"}");
			drainedAt = System.nanoTime();
			System.out.println("reads of 2 s in flight on replica-1 at the drain (its processlist): "
					+ inFlightOnReplica1);
			assertThat(inFlightOnReplica1).isPositive();

			System.out.println("POST drain replica-1 -> " + response.status() + " " + response.body());
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.read("$.administrativeState", String.class)).isEqualTo("DRAIN");
			assertThat(response.read("$.inRotation", Boolean.class)).isFalse();
			emptied = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology().getNode("replica-1").getOpenConnections() == 0);
			longReads = new ArrayList<>();
			for (CompletableFuture<String> read : slow) {
				longReads.add(read.handle((node, failure) -> (failure != null) ? "failed: " + failure : node).get());
			}
			LoadRun.sleep(Duration.ofSeconds(2));
			calls = load.stop();
		}
		List<LoadRun.Call> before = LoadRun.select(calls, (call) -> call.startedBefore(drainedAt));
		List<LoadRun.Call> after = LoadRun.select(calls, (call) -> call.startedAfter(drainedAt));
		List<LoadRun.Call> inFlight = LoadRun.select(before, (call) -> call.end() > drainedAt);
		System.out.println("drain under 8 threads: before " + LoadRun.perNode(before) + ", in flight at the call "
				+ LoadRun.perNode(inFlight) + ", after " + LoadRun.perNode(after) + ", replica-1's pool empty "
				+ ((emptied != null) ? emptied.toMillis() + " ms" : "never") + " after the call");
		longReaders.shutdown();
		System.out.println("reads of 2 s in flight at the drain, served by: " + longReads);
		assertThat(LoadRun.select(calls, LoadRun.Call::failed)).isEmpty();
		assertThat(longReads).contains("replica-1").allMatch((node) -> node.startsWith("replica-"));
		assertThat(LoadRun.perNode(before)).containsKeys("replica-1", "replica-2");
		assertThat(LoadRun.perNode(after)).containsOnlyKeys("replica-2");
		assertThat(emptied).as("replica-1's pool closes its connections once the reads in flight are done").isNotNull();
		assertThat(topology().getNode("replica-1").getOpenConnections()).isZero();
		assertThat(output).containsOnlyOnce("Node 'replica-1' ACTIVE -> DRAIN");
		assertThat(output).contains("requested by an unauthenticated caller through /actuator/routing");

		Response active = post("/actuator/routing/replica-1", "{\"state\":\"active\"}");
		System.out.println("POST active replica-1 -> " + active.status() + " " + active.body());
		assertThat(active.status()).isEqualTo(200);
		assertThat(active.read("$.inRotation", Boolean.class)).isTrue();
		Map<String, Integer> back = readsPerNode(200);
		System.out.println("after active, 200 reads: " + back);
		assertThat(back).containsKeys("replica-1", "replica-2");
	}

	@Test
	void maintenanceEmptiesThePoolAndTheMonitorDoesNotPutItBack() throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		List<LoadRun.Call> calls;
		long calledAt;
		Duration emptied;
		try (LoadRun load = new LoadRun("maintenance", 8, Duration.ofSeconds(60), this::read)) {
			LoadRun.sleep(Duration.ofSeconds(2));
			assertThat(topology().getNode("replica-2").getOpenConnections()).isPositive();
			Response response = post("/actuator/routing/replica-2", "{\"state\":\"maintenance\"}");
			calledAt = System.nanoTime();
			System.out.println("POST maintenance replica-2 -> " + response.status() + " " + response.body());
			assertThat(response.status()).isEqualTo(200);
			emptied = LoadRun.awaitCondition(Duration.ofSeconds(10),
					() -> topology().getNode("replica-2").getOpenConnections() == 0);
			// Ten checks of the monitor: it keeps probing (the node is UP to it) and does not put it back.
			LoadRun.sleep(Duration.ofSeconds(2));
			calls = load.stop();
		}
		List<LoadRun.Call> after = LoadRun.select(calls, (call) -> call.startedAfter(calledAt));
		System.out.println("maintenance under 8 threads: after the call " + LoadRun.perNode(after)
				+ ", replica-2's pool empty " + ((emptied != null) ? emptied.toMillis() + " ms" : "never")
				+ " after the call; failed reads (in flight on replica-2, aborted) "
				+ LoadRun.select(calls, LoadRun.Call::failed).size());
		assertThat(emptied).isNotNull();
		assertThat(LoadRun.perNode(after)).containsOnlyKeys("replica-1");
		NodeStatus status = topology().getStatus("replica-2");
		assertThat(status.state().name()).isEqualTo("UP");
		assertThat(status.administrativeState()).isEqualTo(AdministrativeState.MAINTENANCE);
		assertThat(topology().eligibleReplicas()).extracting(DataSourceNode::getName).containsExactly("replica-1");
		Response health = get("/actuator/health");
		System.out.println("GET /actuator/health -> " + health.body());
		assertThat(health.read("$.components.routing.components.replicas.components.replica-2.status", String.class))
			.isEqualTo("OUT_OF_ROTATION");
		assertThat(health.read(
				"$.components.routing.components.replicas.components.replica-2.details.administrativeState",
				String.class))
			.isEqualTo("MAINTENANCE");

		assertThat(post("/actuator/routing/replica-2", "{\"state\":\"active\"}").status()).isEqualTo(200);
		Map<String, Integer> back = readsPerNode(200);
		System.out.println("after active, 200 reads: " + back);
		assertThat(back).containsKeys("replica-1", "replica-2");
	}

	@Test
	void weightChangeUnderLoadMovesTheSplit() throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		List<LoadRun.Call> calls;
		long changedAt;
		try (LoadRun load = new LoadRun("weights", 8, Duration.ofSeconds(60), this::read)) {
			LoadRun.sleep(Duration.ofSeconds(3));
			Response response = post("/actuator/routing/replica-1", "{\"weight\":3}");
			changedAt = System.nanoTime();
			System.out.println("POST weight 3 replica-1 -> " + response.status() + " " + response.body());
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.read("$.weight", Integer.class)).isEqualTo(3);
			LoadRun.sleep(Duration.ofSeconds(3));
			calls = load.stop();
		}
		Map<String, Integer> before = LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedBefore(changedAt)));
		Map<String, Integer> after = LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(changedAt)));
		double shareBefore = share(before, "replica-1");
		double shareAfter = share(after, "replica-1");
		System.out.printf("weights 1:1 -> 3:1 under 8 threads: before %s (replica-1 %.1f %%), after %s (replica-1 %.1f %%)%n",
				before, shareBefore * 100, after, shareAfter * 100);
		assertThat(before).containsOnlyKeys("replica-1", "replica-2");
		assertThat(after).containsOnlyKeys("replica-1", "replica-2");
		assertThat(shareBefore).isBetween(0.45, 0.55);
		assertThat(shareAfter).isBetween(0.70, 0.80);
	}

	@Test
	void badInputIsAnsweredAndChangesNothing() throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		List<String> unchanged = describeTopology();
		Response unknown = post("/actuator/routing/replica-9", "{\"state\":\"drain\"}");
		System.out.println("POST drain replica-9 -> " + unknown.status() + " " + unknown.body());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.read("$.error", String.class)).contains("No node named 'replica-9'", "replica-1");

		Response badState = post("/actuator/routing/replica-1", "{\"state\":\"offline\"}");
		System.out.println("POST offline replica-1 -> " + badState.status() + " " + badState.body());
		assertThat(badState.status()).isEqualTo(400);
		assertThat(badState.read("$.error", String.class)).contains("Unknown state 'offline'", "drain");

		Response badWeight = post("/actuator/routing/replica-1", "{\"weight\":0}");
		System.out.println("POST weight 0 replica-1 -> " + badWeight.status() + " " + badWeight.body());
		assertThat(badWeight.status()).isEqualTo(400);
		assertThat(badWeight.read("$.error", String.class)).contains("below 1");

		Response nothing = post("/actuator/routing/replica-1", "{}");
		System.out.println("POST {} replica-1 -> " + nothing.status() + " " + nothing.body());
		assertThat(nothing.status()).isEqualTo(400);

		// The standby is read-only (read_only=1): draining the only writer would leave writes nowhere to go.
		Response onlyWriter = post("/actuator/routing/primary", "{\"state\":\"drain\"}");
		System.out.println("POST drain primary -> " + onlyWriter.status() + " " + onlyWriter.body());
		assertThat(onlyWriter.status()).isEqualTo(400);
		assertThat(onlyWriter.read("$.error", String.class)).contains("takes the writes", "no standby is writable",
				"Nothing was changed");
		Response maintenanceWriter = post("/actuator/routing/primary", "{\"state\":\"maintenance\",\"weight\":2}");
		assertThat(maintenanceWriter.status()).isEqualTo(400);

		assertThat(describeTopology()).isEqualTo(unchanged);
		assertThat(topology().writer().getName()).isEqualTo("primary");
		assertThat(context.getBean(ServerIds.class).insertReturningServerId("after-refused-drain"))
			.isEqualTo((long) cluster.primary().serverId());
	}

	private static long longReadsOn(String node) {
		Long count = cluster.queryLong(node,
				"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(%'");
		return (count != null) ? count : 0;
	}

	private static double share(Map<String, Integer> reads, String node) {
		int total = reads.values().stream().mapToInt(Integer::intValue).sum();
		return (double) reads.getOrDefault(node, 0) / total;
	}

	private static List<String> describeTopology() {
		Topology topology = topology();
		return topology.getNodes()
			.stream()
			.map((node) -> node.getName() + ":" + topology.getStatus(node.getName()).administrativeState() + ":"
					+ node.getWeight() + ":" + topology.eligibleReplicas().contains(node))
			.toList();
	}

	private String read() {
		return cluster.nodeName(context.getBean(ServerIds.class).readOnly());
	}

	private Map<String, Integer> readsPerNode(int reads) {
		Map<String, Integer> counts = new java.util.TreeMap<>();
		for (int i = 0; i < reads; i++) {
			counts.merge(read(), 1, Integer::sum);
		}
		return counts;
	}

	private static Topology topology() {
		return context.getBean(RoutingDataSource.class).getTopology();
	}

	private static Response get(String path) throws IOException, InterruptedException {
		return actuator.get(path);
	}

	private static Response post(String path, String json) throws IOException, InterruptedException {
		return actuator.post(path, json);
	}

}
