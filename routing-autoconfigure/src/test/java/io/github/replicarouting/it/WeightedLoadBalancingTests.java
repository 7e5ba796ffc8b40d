package io.github.replicarouting.it;

import java.util.Map;
import java.util.TreeMap;

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
class WeightedLoadBalancingTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	ServerIds serverIds;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
		registry.add("routing.datasource.load-balancing", () -> "weighted");
		registry.add("routing.datasource.replicas.replica-1.weight", () -> "3");
		registry.add("routing.datasource.replicas.replica-2.weight", () -> "1");
	}

	@Test
	void readsFollowTheWeights() {
		Map<String, Integer> reads = new TreeMap<>();
		for (int i = 0; i < 1000; i++) {
			reads.merge(cluster.nodeName(this.serverIds.readOnly()), 1, Integer::sum);
		}
		System.out.println("weighted 3:1, 1000 reads per node: " + reads);
		assertThat(reads).containsOnlyKeys("replica-1", "replica-2");
		assertThat(reads.get("replica-1")).isBetween(700, 800);
	}

}
