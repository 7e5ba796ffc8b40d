package io.github.replicarouting.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses a replica at random in proportion to its {@link DataSourceNode#getWeight() weight}: with weights 3 and 1, the
 * first serves three reads in four.
 *
 * @since 0.1.0
 */
public class WeightedLoadBalancer implements ReplicaLoadBalancer {

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		int total = 0;
		for (DataSourceNode replica : replicas) {
			total += replica.getWeight();
		}
		int point = ThreadLocalRandom.current().nextInt(total);
		for (DataSourceNode replica : replicas) {
			point -= replica.getWeight();
			if (point < 0) {
				return replica;
			}
		}
		return replicas.get(replicas.size() - 1);
	}

}
