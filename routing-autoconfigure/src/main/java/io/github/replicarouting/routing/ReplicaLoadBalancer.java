package io.github.replicarouting.routing;

import java.util.List;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses the replica that serves the next read. Declare a bean of this type to replace the strategy chosen by
 * {@code routing.datasource.load-balancing}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ReplicaLoadBalancer {

	/**
	 * Choose one of the given replicas.
	 * @param replicas the candidates, never empty, always in the configured order
	 * @return one of {@code replicas} (the router refuses any other node with an {@link IllegalStateException})
	 */
	DataSourceNode choose(List<DataSourceNode> replicas);

}
