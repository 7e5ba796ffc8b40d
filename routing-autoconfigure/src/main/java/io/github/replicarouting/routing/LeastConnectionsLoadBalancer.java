package io.github.replicarouting.routing;

import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses the replica whose pool has the fewest borrowed connections, so a replica slowed down by long queries gets
 * fewer new reads. Ties are broken round-robin, so idle replicas share the load evenly.
 *
 * @since 0.1.0
 */
public class LeastConnectionsLoadBalancer implements ReplicaLoadBalancer {

	private final RoundRobinLoadBalancer tieBreaker = new RoundRobinLoadBalancer();

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		int fewest = Integer.MAX_VALUE;
		List<DataSourceNode> candidates = new ArrayList<>(replicas.size());
		for (DataSourceNode replica : replicas) {
			int active = replica.getActiveConnections();
			if (active < fewest) {
				fewest = active;
				candidates.clear();
			}
			if (active == fewest) {
				candidates.add(replica);
			}
		}
		return (candidates.size() == 1) ? candidates.get(0) : this.tieBreaker.choose(candidates);
	}

}
