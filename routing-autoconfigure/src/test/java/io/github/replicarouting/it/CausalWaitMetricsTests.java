package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.actuate.RoutingEndpoint;
import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.FirstProbes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The causal wait timer and the {@code causal} decisions under causal read-your-writes, on the embedded cluster. The
 * monitor checks once an hour here, so that a read right after a write always waits on its replica.
 */
@WithReplicationCluster
class CausalWaitMetricsTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@AfterEach
	void restoreCluster() {
		for (String replica : List.of("replica-1", "replica-2")) {
			if (cluster.isReplicationPaused(replica)) {
				cluster.resumeReplication(replica);
			}
		}
		cluster.awaitReplication(Duration.ofSeconds(60));
	}

	@Test
	void waitsAreTimedByNodeAndOutcome() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("routing.datasource.read-your-writes", "causal");
		properties.put("routing.datasource.causal-wait-timeout", "200ms");
		properties.put("routing.datasource.lag-check-interval", "1h");
		properties.put("management.endpoints.web.exposure.include", "routing");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run()) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// The monitor's only round (1 h interval) must come before the write, or it may see the write applied on
			// the replicas and spare the read the wait this test times.
			FirstProbes.await(context.getBean(RoutingDataSource.class).getTopology());
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId("causal-applied");
				assertThat(cluster.nodeName(serverIds.readOnly())).startsWith("replica-");
			}
			List<Timer> applied = List.copyOf(registry.find("routing.causal.wait").tag("outcome", "applied").timers());
			assertThat(applied).singleElement().satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));

			cluster.pauseReplication("replica-1");
			cluster.pauseReplication("replica-2");
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId("causal-timeout");
				assertThat(cluster.nodeName(serverIds.readOnly())).isEqualTo(ReplicationCluster.PRIMARY);
			}
			Timer timeout = registry.get("routing.causal.wait").tag("outcome", "timeout").timer();
			assertThat(timeout.count()).isEqualTo(1);
			assertThat(timeout.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(150);
			assertThat(registry.get("routing.decisions")
				.tags("target", "primary", "node", "primary", "reason", "causal")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBean(RoutingEndpoint.class).routing().settings())
				.containsEntry("readYourWrites", "causal")
				.containsEntry("causalWaitTimeout", "200ms");
		}
	}

}
