package io.github.replicarouting.it;

import java.util.Map;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import io.github.replicarouting.topology.FirstProbes;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code retry-failed-reads} on the embedded cluster (JPA application): a read-only method whose replica connection the
 * server kills between two statements runs again, unless something was written on its way; only a failure of the
 * replica's own connection takes it out of rotation. Rows are counted on the server.
 */
@WithReplicationCluster
class RetryFailedReadsTests {

	private static final ReplicationCluster cluster = TestCluster.get();

	@Test
	void readWhoseReplicaConnectionBrokeRunsAgainOnAnotherReplica() {
		try (ConfigurableApplicationContext context = start()) {
			RetriedReads reads = context.getBean(RetriedReads.class);
			RoutingRulesTests.assertReplica(reads.readBrokenOnFirstRun());
			assertThat(reads.runs()).isEqualTo(2);
			assertThat(states(context)).containsValue(NodeState.DOWN);
		}
	}

	@Test
	void readOnlyJpaTransactionWhoseReplicaConnectionBrokeRunsAgain() {
		try (ConfigurableApplicationContext context = start()) {
			RetriedReads reads = context.getBean(RetriedReads.class);
			RoutingRulesTests.assertReplica(reads.readOnlyTransactionBrokenOnFirstRun());
			assertThat(reads.runs()).isEqualTo(2);
			assertThat(states(context)).containsValue(NodeState.DOWN);
		}
	}

	@Test
	void readThatCommittedAWriteOnItsWayIsNotRunAgain() {
		try (ConfigurableApplicationContext context = start()) {
			RetriedReads reads = context.getBean(RetriedReads.class);
			String name = "audited-" + System.nanoTime();
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> reads.auditThenBreak(name));
			assertThat(reads.runs()).isEqualTo(1);
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
				.isOne();
		}
	}

	@Test
	void failureOnThePrimaryInANestedCallLeavesTheReplicaInRotation() {
		try (ConfigurableApplicationContext context = start()) {
			RetriedReads reads = context.getBean(RetriedReads.class);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(reads::readThenPrimaryBreaks);
			assertThat(reads.runs()).isEqualTo(1);
			assertThat(states(context)).containsOnly(Map.entry("replica-1", NodeState.UP),
					Map.entry("replica-2", NodeState.UP));
		}
	}

	@Test
	void inputOutputErrorOutsideTheDatabaseLeavesTheReplicaInRotation() {
		try (ConfigurableApplicationContext context = start()) {
			RetriedReads reads = context.getBean(RetriedReads.class);
			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(reads::readThenHttpClientFails);
			assertThat(reads.runs()).isEqualTo(1);
			assertThat(states(context)).containsOnly(Map.entry("replica-1", NodeState.UP),
					Map.entry("replica-2", NodeState.UP));
		}
	}

	private static Map<String, NodeState> states(ConfigurableApplicationContext context) {
		Topology topology = context.getBean(RoutingDataSource.class).getTopology();
		Map<String, NodeState> states = new java.util.TreeMap<>();
		for (NodeStatus status : topology.getStatuses()) {
			if (status.name().startsWith("replica")) {
				states.put(status.name(), status.state());
			}
		}
		return states;
	}

	private static ConfigurableApplicationContext start() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		properties.put("routing.datasource.retry-failed-reads", true);
		// Only the router changes node states during a test: the monitor looks once, at startup.
		properties.put("routing.datasource.lag-check-interval", "1h");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run();
		// A late first round would put back a replica the router has just taken out, which the tests check.
		FirstProbes.await(context.getBean(RoutingDataSource.class).getTopology());
		return context;
	}

}
