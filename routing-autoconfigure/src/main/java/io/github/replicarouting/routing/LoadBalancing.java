package io.github.replicarouting.routing;

import java.util.function.Supplier;

/**
 * The built-in ways to spread reads over replicas.
 *
 * @since 0.1.0
 */
public enum LoadBalancing {

	/** Each replica in turn. */
	ROUND_ROBIN(RoundRobinLoadBalancer::new),

	/** A replica picked at random, uniformly. */
	RANDOM(RandomLoadBalancer::new),

	/** A replica picked at random in proportion to its {@code weight}. */
	WEIGHTED(WeightedLoadBalancer::new),

	/** The replica whose pool has the fewest borrowed connections; ties go round-robin. */
	LEAST_CONNECTIONS(LeastConnectionsLoadBalancer::new);

	private final Supplier<ReplicaLoadBalancer> factory;

	LoadBalancing(Supplier<ReplicaLoadBalancer> factory) {
		this.factory = factory;
	}

	/**
	 * Create a new load balancer of this kind.
	 * @return the load balancer
	 */
	public ReplicaLoadBalancer create() {
		return this.factory.get();
	}

}
