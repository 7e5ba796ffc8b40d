package io.github.replicarouting.it;

import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
class LeastConnectionsLoadBalancingTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	ServerIds serverIds;

	@Autowired
	RoutingDataSource dataSource;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
		registry.add("routing.datasource.load-balancing", () -> "least-connections");
	}

	@Test
	void readsAvoidTheReplicaWithBusyConnections() throws Exception {
		DataSourceNode busy = this.dataSource.getReplicas().get(0);
		Map<String, Integer> reads = new TreeMap<>();
		try (Connection held = busy.getDataSource().getConnection()) {
			for (int i = 0; i < 200; i++) {
				reads.merge(cluster.nodeName(this.serverIds.readOnly()), 1, Integer::sum);
			}
		}
		System.out.println("least-connections with one connection held on " + busy.getName() + ": " + reads);
		assertThat(reads).containsOnlyKeys("replica-2").containsEntry("replica-2", 200);

		Map<String, Integer> idle = new TreeMap<>();
		for (int i = 0; i < 200; i++) {
			idle.merge(cluster.nodeName(this.serverIds.readOnly()), 1, Integer::sum);
		}
		System.out.println("least-connections, both idle: " + idle);
		assertThat(idle).containsEntry("replica-1", 100).containsEntry("replica-2", 100);
	}

}
