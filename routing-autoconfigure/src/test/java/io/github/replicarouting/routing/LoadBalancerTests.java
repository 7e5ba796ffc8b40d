package io.github.replicarouting.routing;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LoadBalancerTests {

	private final DataSourceNode first = node("first", 3);

	private final DataSourceNode second = node("second", 1);

	private final List<DataSourceNode> replicas = List.of(this.first, this.second);

	@Test
	void roundRobinTakesEachReplicaInTurn() {
		ReplicaLoadBalancer loadBalancer = LoadBalancing.ROUND_ROBIN.create();
		assertThat(List.of(loadBalancer.choose(this.replicas), loadBalancer.choose(this.replicas),
				loadBalancer.choose(this.replicas)))
			.containsExactly(this.first, this.second, this.first);
	}

	@Test
	void randomSpreadsEvenly() {
		Map<String, Integer> counts = draw(LoadBalancing.RANDOM.create(), 10_000);
		assertThat(counts.get("first")).isBetween(4_500, 5_500);
	}

	@Test
	void weightedHonoursWeights() {
		Map<String, Integer> counts = draw(LoadBalancing.WEIGHTED.create(), 10_000);
		assertThat(counts.get("first")).isBetween(7_000, 8_000);
		assertThat(counts.get("second")).isBetween(2_000, 3_000);
	}

	@Test
	void weightedFollowsAWeightChangedAtRunTimeAndAllocatesNothingPerChoice() {
		Topology topology = new Topology(node("primary", 1), List.of(), this.replicas);
		topology.setWeight("second", 3, "the test");
		ReplicaLoadBalancer loadBalancer = LoadBalancing.WEIGHTED.create();
		Map<String, Integer> counts = draw(loadBalancer, 10_000);
		System.out.println("weighted after 3:1 -> 3:3, 10,000 choices: " + counts);
		assertThat(counts.get("first")).isBetween(4_500, 5_500);
		long allocated = allocatedOverAMillionChoices(loadBalancer);
		System.out.println("weighted: " + allocated + " bytes allocated over 1,000,000 choices");
		// Far below one object per choice (16 MB for 16-byte objects): nothing is allocated per connection.
		assertThat(allocated).isLessThan(64 * 1024);
	}

	@Test
	void leastConnectionsAllocatesNothingPerChoice() {
		long allocated = allocatedOverAMillionChoices(LoadBalancing.LEAST_CONNECTIONS.create());
		System.out.println("least-connections: " + allocated + " bytes allocated over 1,000,000 choices");
		assertThat(allocated).isLessThan(64 * 1024);
	}

	@Test
	void leastConnectionsSharesEvenlyWhenPoolsAreEquallyBusy() {
		// Not Hikari pools: both report 0 active connections, so ties go round-robin.
		Map<String, Integer> counts = draw(LoadBalancing.LEAST_CONNECTIONS.create(), 1_000);
		assertThat(counts).containsEntry("first", 500).containsEntry("second", 500);
	}

	@Test
	void weightBelowOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> node("zero", 0)).withMessageContaining("zero");
	}

	private Map<String, Integer> draw(ReplicaLoadBalancer loadBalancer, int times) {
		Map<String, Integer> counts = new TreeMap<>();
		for (int i = 0; i < times; i++) {
			counts.merge(loadBalancer.choose(this.replicas).getName(), 1, Integer::sum);
		}
		return counts;
	}

	private static DataSourceNode node(String name, int weight) {
		return new DataSourceNode(name, new DriverManagerDataSource("jdbc:unused:" + name), weight);
	}

	/**
	 * Bytes the calling thread allocates over 1,000,000 choices, after 100,000 to warm up.
	 */
	private long allocatedOverAMillionChoices(ReplicaLoadBalancer loadBalancer) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		long threadId = Thread.currentThread().getId();
		for (int i = 0; i < 100_000; i++) {
			loadBalancer.choose(this.replicas);
		}
		long before = threads.getThreadAllocatedBytes(threadId);
		for (int i = 0; i < 1_000_000; i++) {
			loadBalancer.choose(this.replicas);
		}
		return threads.getThreadAllocatedBytes(threadId) - before;
	}

}
