package io.github.replicarouting.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.replicarouting.topology.DataSourceNode;

/**
 * Chooses the replica whose pool has the fewest borrowed connections, so a replica slowed down by long queries gets
 * fewer new reads. Ties are broken round-robin, so idle replicas share the load evenly.
 *
 * <p>Allocates nothing per choice (it runs on every read): one pass finds the fewest and how many replicas tie, a
 * second takes the tie whose turn it is. Counts that change between the passes (other reads) fall back to the first
 * replica the first pass found with the fewest.
 *
 * @since 0.1.0
 */
public class LeastConnectionsLoadBalancer implements ReplicaLoadBalancer {

	private final AtomicInteger turn = new AtomicInteger();

	@Override
	public DataSourceNode choose(List<DataSourceNode> replicas) {
		int fewest = Integer.MAX_VALUE;
		int ties = 0;
		DataSourceNode first = null;
		for (int i = 0; i < replicas.size(); i++) {
			DataSourceNode replica = replicas.get(i);
			int active = replica.getActiveConnections();
			if (active < fewest) {
				fewest = active;
				ties = 1;
				first = replica;
			}
			else if (active == fewest) {
				ties++;
			}
		}
		if (ties <= 1) {
			return first;
		}
		// floorMod keeps the turn valid after the counter overflows.
		int wanted = Math.floorMod(this.turn.getAndIncrement(), ties);
		int seen = 0;
		for (int i = 0; i < replicas.size(); i++) {
			DataSourceNode replica = replicas.get(i);
			if (replica.getActiveConnections() == fewest && seen++ == wanted) {
				return replica;
			}
		}
		return first;
	}

}
