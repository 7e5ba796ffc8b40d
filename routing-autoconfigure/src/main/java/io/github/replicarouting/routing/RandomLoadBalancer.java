package io.github.replicarouting.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses a replica uniformly at random.
 *
 * @since 0.1.0
 */
public class RandomLoadBalancer implements ReplicaLoadBalancer {

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		return replicas.get(ThreadLocalRandom.current().nextInt(replicas.size()));
	}

}
