package io.github.replicarouting.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.replicarouting.actuate.RoutingObservationListener;
import io.github.replicarouting.it.ActuatorClient.Response;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
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
 * Health, the {@code routing} endpoint and metrics over HTTP, read after real traffic on the embedded cluster and
 * after a replica falls behind or dies. Prints each JSON document it reads.
 */
@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class OperationsTests {

	private static final Duration STATE_CHANGE = Duration.ofSeconds(30);

	static final ReplicationCluster cluster = TestCluster.get();

	private static ConfigurableApplicationContext context;

	private static ActuatorClient actuator;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("spring.main.web-application-type", "servlet");
		properties.put("server.port", "0");
		properties.put("management.endpoints.web.exposure.include", "health,routing,metrics");
		properties.put("management.endpoint.health.show-details", "always");
		properties.put("routing.datasource.lag-check-interval", "200ms");
		properties.put("routing.datasource.max-replication-lag", "500ms");
		properties.put("routing.datasource.failover-timeout", "1s");
		properties.put("routing.datasource.standbys.standby-1.url", cluster.node("standby-1").jdbcUrl("mariadb"));
		// Credentials in a URL must never show.
		properties.put("routing.datasource.replicas.replica-2.url",
				cluster.node("replica-2").jdbcUrl("mariadb") + "&user=" + cluster.username() + "&password="
						+ cluster.password());
		properties.put("logging.level.io.github.replicarouting.actuate.RoutingDecisionLogger", "debug");
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
	void restoreCluster() {
		cluster.startNode("replica-2");
		if (cluster.isReplicationPaused("replica-1")) {
			cluster.resumeReplication("replica-1");
		}
		cluster.awaitReplication(Duration.ofSeconds(60));
		Topology topology = topology();
		LoadRun.awaitCondition(STATE_CHANGE, () -> topology.eligibleReplicas().size() == 2);
	}

	@Test
	void writeOperationsAreRefusedUntilOpened() throws Exception {
		// management.endpoint.routing.access is not set here: the endpoint's default access is read-only.
		Response response = post("/actuator/routing/replica-1", "{\"state\":\"drain\"}");
		System.out.println("POST drain replica-1 (access not opened) -> " + response.status() + " " + response.body());
		assertThat(response.status()).isEqualTo(405);
		assertThat(topology().getStatus("replica-1").administrativeState())
			.isEqualTo(io.github.replicarouting.topology.AdministrativeState.ACTIVE);
		assertThat(get("/actuator/routing/replica-1").read("$.administrativeState", String.class)).isEqualTo("ACTIVE");

		Response add = post("/actuator/routing/replica-9",
				"{\"url\":\"" + cluster.node("replica-1").jdbcUrl("mariadb") + "\"}");
		Response remove = delete("/actuator/routing/replica-1");
		System.out.println("POST add replica-9 / DELETE replica-1 (access not opened) -> " + add.status() + " / "
				+ remove.status());
		assertThat(add.status()).isEqualTo(405);
		assertThat(remove.status()).isEqualTo(405);
		assertThat(topology().getNodes()).extracting(io.github.replicarouting.topology.DataSourceNode::getName)
			.containsExactlyInAnyOrder("primary", "standby-1", "replica-1", "replica-2");
	}

	@Test
	void healthShowsEveryNodeAfterTraffic() throws Exception {
		traffic();
		Response health = get("/actuator/health");
		System.out.println("GET /actuator/health -> " + health.status() + " " + health.body());
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.read("$.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.db.details.writer", String.class)).isEqualTo("primary");
		assertThat(health.read("$.components.routing.components.primary.details.writer", Boolean.class)).isTrue();
		assertThat(health.read("$.components.routing.components.standbys.components.standby-1.status", String.class))
			.isEqualTo("UP");
		for (String replica : List.of("replica-1", "replica-2")) {
			assertThat(health.read("$.components.routing.components.replicas.components." + replica + ".status",
					String.class))
				.isEqualTo("UP");
		}
	}

	@Test
	void routingEndpointCountsConnectionsPerNodeAndMasksCredentials() throws Exception {
		traffic();
		Response routing = get("/actuator/routing");
		System.out.println("GET /actuator/routing -> " + routing.status() + " " + routing.body());
		assertThat(routing.status()).isEqualTo(200);
		assertThat(routing.read("$.writer", String.class)).isEqualTo("primary");
		assertThat(routing.read("$.settings.loadBalancing", String.class)).isEqualTo("round-robin");
		assertThat(routing.read("$.settings.maxReplicationLag", String.class)).isEqualTo("500ms");
		// Primary, standbys, then replicas (in the order their properties were bound).
		assertThat(routing.<List<String>>read("$.nodes[*].name")).startsWith("primary", "standby-1")
			.containsExactlyInAnyOrder("primary", "standby-1", "replica-1", "replica-2");
		for (String replica : List.of("replica-1", "replica-2")) {
			String node = "$.nodes[?(@.name == '" + replica + "')]";
			assertThat(routing.<List<Integer>>read(node + ".connections.byReason.annotation"))
				.singleElement().satisfies((count) -> assertThat(count).isGreaterThanOrEqualTo(2));
			assertThat(routing.<List<String>>read(node + ".state")).containsExactly("UP");
			assertThat(routing.<List<String>>read(node + ".gtidPosition")).singleElement().asString().matches("\\d+-\\d+-\\d+.*");
		}
		assertThat(routing.<List<Integer>>read("$.nodes[?(@.name == 'primary')].connections.byReason.default"))
			.singleElement().satisfies((count) -> assertThat(count).isGreaterThanOrEqualTo(2));
		assertThat(routing.<List<String>>read("$.nodes[?(@.name == 'primary')].readOnlyPool.name"))
			.containsExactly("primary-read-only");
		assertThat(routing.<List<Object>>read("$.nodes[?(@.name == 'replica-1')].readOnlyPool"))
			.as("replicas have no separate read-only pool")
			.allMatch(java.util.Objects::isNull);
		assertThat(routing.<List<String>>read("$.nodes[?(@.name == 'replica-2')].url")).singleElement()
			.asString()
			.endsWith("&user=" + cluster.username() + "&password=******");
		assertThat(routing.body()).doesNotContain("password=" + cluster.password());

		Response node = get("/actuator/routing/replica-1");
		assertThat(node.status()).isEqualTo(200);
		assertThat(node.read("$.role", String.class)).isEqualTo("replica");
		assertThat(get("/actuator/routing/replica-9").status()).isEqualTo(404);
	}

	@Test
	void metricsCountDecisionsPerNodeAndReason() throws Exception {
		traffic();
		Response decisions = get("/actuator/metrics/routing.decisions?tag=node:replica-1&tag=reason:annotation");
		System.out.println("GET /actuator/metrics/routing.decisions?tag=node:replica-1&tag=reason:annotation -> "
				+ decisions.status() + " " + decisions.body());
		assertThat(decisions.status()).isEqualTo(200);
		assertThat(decisions.<List<Double>>read("$.measurements[?(@.statistic == 'COUNT')].value")).singleElement()
			.satisfies((count) -> assertThat(count).isGreaterThanOrEqualTo(2));
		Response state = get("/actuator/metrics/routing.node.state?tag=node:replica-2&tag=state:up");
		System.out.println("GET /actuator/metrics/routing.node.state?tag=node:replica-2&tag=state:up -> "
				+ state.body());
		assertThat(state.<List<Double>>read("$.measurements[*].value")).containsExactly(1.0);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		for (String pool : List.of("primary", "replica-1", "replica-2")) {
			assertThat(registry.find("hikaricp.connections.active").tag("pool", pool).gauge()).as(pool).isNotNull();
		}
	}

	@Test
	void pausedReplicaIsLaggingAndTheApplicationStaysUp() throws Exception {
		Topology topology = topology();
		ServerIds serverIds = context.getBean(ServerIds.class);
		cluster.pauseReplication("replica-1");
		try {
			// The writer must move on for the replica to fall behind.
			Duration detected = LoadRun.awaitCondition(STATE_CHANGE, () -> {
				serverIds.insertReturningServerId("lag");
				return topology.getStatus("replica-1").state() == NodeState.LAGGING;
			});
			assertThat(detected).as("replica-1 lagging").isNotNull();
			Response health = get("/actuator/health");
			System.out.println("GET /actuator/health (replica-1 paused) -> " + health.status() + " " + health.body());
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.read("$.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.components.routing.status", String.class)).isEqualTo("UP");
			String replica1 = "$.components.routing.components.replicas.components.replica-1";
			assertThat(health.read(replica1 + ".status", String.class)).isEqualTo("LAGGING");
			assertThat(health.read(replica1 + ".details.lag", String.class)).matches("\\d+ ms|replication stopped");

			Response node = get("/actuator/health/routing/replicas/replica-1");
			assertThat(node.status()).isEqualTo(200);
			assertThat(node.read("$.status", String.class)).isEqualTo("LAGGING");

			Response routing = get("/actuator/routing/replica-1");
			System.out.println("GET /actuator/routing/replica-1 (paused) -> " + routing.body());
			assertThat(routing.read("$.state", String.class)).isEqualTo("LAGGING");
			assertThat(routing.read("$.inRotation", Boolean.class)).isFalse();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("routing.node.state").tags("node", "replica-1", "state", "lagging").gauge().value())
				.isEqualTo(1);
			assertThat(registry.get("routing.replica.lag").tag("node", "replica-1").timeGauge()
				.value(TimeUnit.MILLISECONDS)).isGreaterThan(500);
		}
		finally {
			cluster.resumeReplication("replica-1");
		}
		assertThat(LoadRun.awaitCondition(STATE_CHANGE, () -> topology.getStatus("replica-1").state() == NodeState.UP))
			.as("replica-1 back").isNotNull();
		assertThat(get("/actuator/health/routing/replicas/replica-1").read("$.status", String.class)).isEqualTo("UP");
	}

	@Test
	void killedReplicaIsOutOfRotationAndTheApplicationStaysUp() throws Exception {
		Topology topology = topology();
		ServerIds serverIds = context.getBean(ServerIds.class);
		cluster.killNode("replica-2");
		try {
			assertThat(LoadRun.awaitCondition(STATE_CHANGE,
					() -> topology.getStatus("replica-2").state() == NodeState.DOWN))
				.as("replica-2 down")
				.isNotNull();
			List<String> served = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				served.add(cluster.nodeName(serverIds.readOnly()));
			}
			assertThat(served).containsOnly("replica-1");
			Response health = get("/actuator/health");
			System.out.println("GET /actuator/health (replica-2 killed) -> " + health.status() + " " + health.body());
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.read("$.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
			String replica2 = "$.components.routing.components.replicas.components.replica-2";
			assertThat(health.read(replica2 + ".status", String.class)).isEqualTo("OUT_OF_ROTATION");
			assertThat(health.read(replica2 + ".details.state", String.class)).isEqualTo("DOWN");
			assertThat(health.read(replica2 + ".details.reason", String.class)).doesNotContain(
					"password=" + cluster.password());

			Response routing = get("/actuator/routing/replica-2");
			System.out.println("GET /actuator/routing/replica-2 (killed) -> " + routing.body());
			assertThat(routing.read("$.state", String.class)).isEqualTo("DOWN");
			assertThat(routing.<Map<String, Object>>read("$")).as("no stale lag for a dead node")
				.doesNotContainKeys("lag", "lagMillis");
			assertThat(routing.read("$.inRotation", Boolean.class)).isFalse();
			assertThat(context.getBean(MeterRegistry.class)
				.get("routing.node.state")
				.tags("node", "replica-2", "state", "down")
				.gauge()
				.value()).isEqualTo(1);
		}
		finally {
			cluster.startNode("replica-2");
		}
		assertThat(LoadRun.awaitCondition(STATE_CHANGE, () -> topology.getStatus("replica-2").state() == NodeState.UP))
			.as("replica-2 back").isNotNull();
	}

	@Test
	void currentObservationNamesTheNodeThatServedIt() {
		ObservationRegistry registry = context.getBean(ObservationRegistry.class);
		List<Observation.Context> stopped = new ArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context observation) {
				stopped.add(observation);
			}

			@Override
			public boolean supportsContext(Observation.Context observation) {
				return "routing.test".equals(observation.getName());
			}

		});
		ServerIds serverIds = context.getBean(ServerIds.class);
		String node = Observation.createNotStarted("routing.test", registry)
			.observe(() -> cluster.nodeName(serverIds.readOnly()));
		assertThat(stopped).singleElement()
			.satisfies((observation) -> assertThat(
					observation.getHighCardinalityKeyValue(RoutingObservationListener.NODE).getValue())
				.isEqualTo(node)
				.startsWith("replica-"));
	}

	@Test
	void everyDecisionIsLoggedAtDebug(CapturedOutput output) {
		context.getBean(ServerIds.class).readOnly();
		assertThat(output).containsPattern("Connection from 'replica-\\d' \\(replica, annotation\\) for ServerIds\\.readOnly");
	}

	private static void traffic() {
		ServerIds serverIds = context.getBean(ServerIds.class);
		for (int i = 0; i < 4; i++) {
			serverIds.readOnly();
			serverIds.plain();
		}
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

	private static Response delete(String path) throws IOException, InterruptedException {
		return actuator.delete(path);
	}

}
