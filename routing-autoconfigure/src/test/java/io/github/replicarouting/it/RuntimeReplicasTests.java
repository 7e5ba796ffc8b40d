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
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.RoutingReplicas;
import io.github.replicarouting.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Replicas added and removed while the application runs, through {@code POST}/{@code DELETE /actuator/routing/{node}}
 * (opened with {@code management.endpoint.routing.access=unrestricted}), under 8 threads of reads, each counted by
 * the server that answered ({@code @@server_id}): a new replica gets reads only once caught up; a removed one
 * finishes its reads in flight and fails none. Bad input is answered and changes nothing. Prints the figures.
 */
@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class RuntimeReplicasTests {

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
		properties.put("routing.datasource.check-interval", "200ms");
		properties.put("routing.datasource.node-timeout", "2s");
		context = new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
		actuator = new ActuatorClient(context);
		cluster.execute(ReplicationCluster.PRIMARY, "CREATE TABLE IF NOT EXISTS " + cluster.database()
				+ ".runtime_write (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6) NOT NULL)");
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void addedReplicaServesReadsOnlyOnceCaughtUpAndLeavesWithoutFailingOne(CapturedOutput output) throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		String name = cluster.addReplica();
		ExecutorService longReaders = Executors.newFixedThreadPool(8);
		try {
			// Behind the writer when it is added: its SQL thread stopped, a write it has not applied.
			cluster.pauseReplication(name);
			cluster.execute(ReplicationCluster.PRIMARY,
					"INSERT INTO " + cluster.database() + ".runtime_write (at) VALUES (NOW(6))");
			LoadRun.sleep(Duration.ofSeconds(1));
			List<LoadRun.Call> calls;
			long addedAt;
			long resumedAt;
			long joinedAt;
			long removedAt;
			List<String> longReads = new ArrayList<>();
			DataSourceNode added;
			try (LoadRun load = new LoadRun("runtime-replicas", 8, Duration.ofSeconds(90), this::read)) {
				LoadRun.sleep(Duration.ofSeconds(1));
				Response add = post("/actuator/routing/" + name,
						"{\"url\":\"" + cluster.node(name).jdbcUrl("mariadb") + "\",\"hikari\":\"maximum-pool-size=4\"}");
				addedAt = System.nanoTime();
				System.out.println("POST add " + name + " -> " + add.status() + " " + add.body());
				assertThat(add.status()).isEqualTo(201);
				assertThat(add.read("$.state", String.class)).isEqualTo("LAGGING");
				assertThat(add.read("$.inRotation", Boolean.class)).isFalse();
				assertThat(add.read("$.pool.max", Integer.class)).isEqualTo(4);
				added = topology().getNode(name);
				// Ten checks of the monitor while it is behind: it stays out.
				LoadRun.sleep(Duration.ofSeconds(2));
				Response health = get("/actuator/health");
				System.out.println("GET /actuator/health while " + name + " joins -> " + health.body());
				assertThat(health.read("$.components.routing.components.replicas.components." + name + ".status",
						String.class)).isEqualTo("LAGGING");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("routing.node.state").tag("node", name).gauges()).hasSize(3);
				assertThat(registry.find("routing.node.state").tag("node", name).tag("state", "lagging").gauge()
					.value()).isEqualTo(1);
				assertThat(registry.find("hikaricp.connections").tag("pool", name).gauge()).isNotNull();
				// Its sessions are read-only like a configured replica's, whatever the account may do.
				try (java.sql.Connection session = added.getDataSource().getConnection();
						java.sql.Statement statement = session.createStatement();
						java.sql.ResultSet readOnly = statement.executeQuery("SELECT @@session.transaction_read_only")) {
					assertThat(readOnly.next()).isTrue();
					assertThat(readOnly.getInt(1)).as("transaction_read_only of an added replica's session").isEqualTo(1);
				}
				String joining = topology().getStatus(name).reason();
				System.out.println(name + " while behind: " + topology().getStatus(name).state() + ", " + joining);
				assertThat(joining).startsWith("joining:");
				assertThat(topology().eligibleReplicas()).doesNotContain(added);
				cluster.resumeReplication(name);
				resumedAt = System.nanoTime();
				Duration joined = LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().contains(added));
				joinedAt = System.nanoTime();
				assertThat(joined).as(name + " joins once caught up").isNotNull();
				LoadRun.sleep(Duration.ofSeconds(2));
				// Reads of 2 s on every replica, in flight when it is removed: they must finish, not fail.
				List<CompletableFuture<String>> slow = new ArrayList<>();
				while (longReadsOn(name) == 0 && slow.size() < 24) {
					for (int i = 0; i < 3; i++) {
						slow.add(CompletableFuture.supplyAsync(
								() -> cluster.nodeName(context.getBean(ServerIds.class).sleepThenServerId(2)),
								longReaders));
					}
					LoadRun.sleep(Duration.ofMillis(300));
				}
				long inFlight = longReadsOn(name);
				Response remove = delete("/actuator/routing/" + name);
				removedAt = System.nanoTime();
				System.out.println("DELETE " + name + " (" + inFlight + " reads of 2 s in flight on it) -> "
						+ remove.status() + " " + remove.body());
				assertThat(remove.status()).isEqualTo(200);
				for (CompletableFuture<String> read : slow) {
					longReads.add(read.handle((node, failure) -> (failure != null) ? "failed: " + failure : node).get());
				}
				LoadRun.sleep(Duration.ofSeconds(1));
				calls = load.stop();
			}
			List<LoadRun.Call> onNew = LoadRun.select(calls, (call) -> name.equals(call.node()));
			long firstRead = onNew.stream().mapToLong(LoadRun.Call::start).min().orElse(Long.MAX_VALUE);
			Map<String, Integer> beforeJoin = LoadRun.perNode(LoadRun.select(calls,
					(call) -> call.startedAfter(addedAt) && call.end() < joinedAt - Duration.ofMillis(300).toNanos()));
			Map<String, Integer> afterRemoval = LoadRun.perNode(LoadRun.select(calls, (call) -> call.startedAfter(removedAt)));
			System.out.printf("add %s under 8 threads: added -> resumed %d ms, resumed -> in rotation %d ms, first read "
					+ "on it %d ms after the add; reads while joining %s; reads on it %d; after its removal %s; failed %d%n",
					name, LoadRun.millis(resumedAt - addedAt), LoadRun.millis(joinedAt - resumedAt),
					LoadRun.millis(firstRead - addedAt), beforeJoin, onNew.size(), afterRemoval,
					LoadRun.select(calls, LoadRun.Call::failed).size());
			System.out.println("reads of 2 s in flight at the removal, served by: " + longReads);
			assertThat(LoadRun.select(calls, LoadRun.Call::failed)).isEmpty();
			assertThat(firstRead).as("no read reaches it before it has caught up").isGreaterThan(resumedAt);
			assertThat(beforeJoin).doesNotContainKey(name).containsKeys("replica-1", "replica-2");
			assertThat(onNew).isNotEmpty();
			assertThat(afterRemoval).doesNotContainKey(name).containsKeys("replica-1", "replica-2");
			assertThat(longReads).contains(name).allMatch((node) -> node.startsWith("replica-"));
			assertThat(LoadRun.awaitCondition(Duration.ofSeconds(10), () -> added.getOpenConnections() == 0))
				.as("its pool is closed once its reads have finished").isNotNull();
			assertThat(topology().getNodes()).extracting(DataSourceNode::getName)
				.containsExactlyInAnyOrder("primary", "replica-1", "replica-2");
			assertThat(get("/actuator/routing/" + name).status()).isEqualTo(404);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("routing.node.state").tag("node", name).gauges()).isEmpty();
			assertThat(registry.find("routing.replica.lag").tag("node", name).meters()).isEmpty();
			assertThat(get("/actuator/health").body()).doesNotContain(name);
			assertThat(output).containsOnlyOnce("Replica '" + name + "' added")
				.containsOnlyOnce("Replica '" + name + "' removed: out of rotation, reads in flight on it finish")
				.contains("requested by an unauthenticated caller through /actuator/routing")
				.contains("Closed the pool of removed replica '" + name + "'");
		}
		finally {
			longReaders.shutdownNow();
			if (cluster.isReplicationPaused(name)) {
				cluster.resumeReplication(name);
			}
			cluster.removeReplica(name);
		}
	}

	@Test
	void badInputIsAnsweredAndChangesNothing() throws Exception {
		LoadRun.awaitCondition(SETTLE, () -> topology().eligibleReplicas().size() == 2);
		List<String> unchanged = describeTopology();
		String url = cluster.node("replica-1").jdbcUrl("mariadb");

		Response duplicate = post("/actuator/routing/replica-2", "{\"url\":\"" + url + "\"}");
		System.out.println("POST add replica-2 (exists) -> " + duplicate.status() + " " + duplicate.body());
		assertThat(duplicate.status()).isEqualTo(400);
		assertThat(duplicate.read("$.error", String.class)).contains("'replica-2' exists already",
				"Nothing was changed");

		Response noServer = post("/actuator/routing/replica-9",
				"{\"url\":\"jdbc:mariadb://127.0.0.1:1/" + cluster.database() + "\"}");
		System.out.println("POST add replica-9 (nothing listens) -> " + noServer.status() + " " + noServer.body());
		assertThat(noServer.status()).isEqualTo(400);
		assertThat(noServer.read("$.error", String.class)).contains("'replica-9'", "does not connect",
				"Nothing was changed");

		Response wrongPassword = post("/actuator/routing/replica-9",
				"{\"url\":\"" + url + "\",\"password\":\"wrong-secret\"}");
		System.out.println("POST add replica-9 (wrong password) -> " + wrongPassword.status() + " "
				+ wrongPassword.body());
		assertThat(wrongPassword.status()).isEqualTo(400);
		assertThat(wrongPassword.read("$.error", String.class)).contains("does not connect")
			.doesNotContain("wrong-secret");

		Response badName = post("/actuator/routing/primary", "{\"url\":\"" + url + "\"}");
		assertThat(badName.status()).isEqualTo(400);
		Response badHikari = post("/actuator/routing/replica-9",
				"{\"url\":\"" + url + "\",\"hikari\":\"maximum-pool-sise=4\"}");
		System.out.println("POST add replica-9 (bad Hikari key) -> " + badHikari.status() + " " + badHikari.body());
		assertThat(badHikari.status()).isEqualTo(400);
		assertThat(badHikari.read("$.error", String.class)).contains("Hikari", "Nothing was changed");
		Response badWeight = post("/actuator/routing/replica-9", "{\"url\":\"" + url + "\",\"weight\":0}");
		assertThat(badWeight.status()).isEqualTo(400);

		Response unknown = delete("/actuator/routing/replica-9");
		System.out.println("DELETE replica-9 -> " + unknown.status() + " " + unknown.body());
		assertThat(unknown.status()).isEqualTo(404);
		Response writer = delete("/actuator/routing/primary");
		System.out.println("DELETE primary -> " + writer.status() + " " + writer.body());
		assertThat(writer.status()).isEqualTo(400);
		assertThat(writer.read("$.error", String.class)).contains("not a replica", "Nothing was changed");

		assertThat(describeTopology()).isEqualTo(unchanged);
		assertThat(context.getBean(ServerIds.class).readOnly()).isNotEqualTo((long) cluster.primary().serverId());
	}

	@Test
	void theLastReplicaIsNotRemovedWhenReadsCannotFallBack() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.remove("routing.datasource.replicas.replica-2.url");
		properties.put("routing.datasource.fallback-to-primary", "false");
		try (ConfigurableApplicationContext onlyOne = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run()) {
			Topology topology = RoutingDataSource.required(onlyOne.getBean(javax.sql.DataSource.class)).getTopology();
			RoutingReplicas replicas = onlyOne.getBean(RoutingReplicas.class);
			assertThatIllegalStateException().isThrownBy(() -> replicas.remove("replica-1", "the test"))
				.withMessageContaining("last replica and fallback-to-primary is false")
				.withMessageContaining("Nothing was changed");
			assertThat(topology.getReplicas()).extracting(DataSourceNode::getName).containsExactly("replica-1");
			LoadRun.awaitCondition(SETTLE, () -> topology.getStatus("replica-1").state() == NodeState.UP);
			assertThat(topology.eligibleReplicas()).extracting(DataSourceNode::getName).containsExactly("replica-1");
		}
	}

	private static long longReadsOn(String node) {
		Long count = cluster.queryLong(node,
				"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(%'");
		return (count != null) ? count : 0;
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
