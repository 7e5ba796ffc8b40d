package io.github.replicarouting.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses each replica in turn.
 *
 * @since 0.1.0
 */
public class RoundRobinLoadBalancer implements ReplicaLoadBalancer {

	private final AtomicInteger counter = new AtomicInteger();

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		// floorMod keeps the index valid after the counter overflows.
		return replicas.get(Math.floorMod(this.counter.getAndIncrement(), replicas.size()));
	}

}
