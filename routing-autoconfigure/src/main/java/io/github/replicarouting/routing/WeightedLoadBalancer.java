package io.github.replicarouting.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses a replica at random in proportion to its {@link DataSourceNode#getWeight() weight}: with weights 3 and 1, the
 * first serves three reads in four. A weight changed at run time ({@code Topology.setWeight}) counts from the next
 * choice.
 *
 * @since 0.1.0
 */
public class WeightedLoadBalancer implements ReplicaLoadBalancer {

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		// Indexed loops: an iterator per choice would be an allocation per connection.
		int count = replicas.size();
		int total = 0;
		for (int i = 0; i < count; i++) {
			total += replicas.get(i).getWeight();
		}
		int point = ThreadLocalRandom.current().nextInt(total);
		for (int i = 0; i < count; i++) {
			point -= replicas.get(i).getWeight();
			if (point < 0) {
				return replicas.get(i);
			}
		}
		// Reached only when a weight was lowered between the two loops.
		return replicas.get(count - 1);
	}

}
