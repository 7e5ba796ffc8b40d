package io.github.replicarouting.actuate;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the routing {@code DataSource} as a whole, in place of Boot's {@code db} indicator (which would run a
 * validation query through the router, on the primary, at every health request): {@code UP} while some node takes
 * writes, according to the topology monitor; {@code DOWN}, naming each candidate's state, while none does.
 *
 * @since 0.1.0
 */
public final class WriterHealthIndicator implements HealthIndicator {

	private final Topology topology;

	/**
	 * Create an indicator.
	 * @param topology the nodes and their state
	 */
	public WriterHealthIndicator(Topology topology) {
		this.topology = topology;
	}

	@Override
	public Health health() {
		DataSourceNode writer = this.topology.writer();
		if (writer != null) {
			return Health.up()
				.withDetail("writer", writer.getName())
				.withDetail("replicasInRotation", this.topology.eligibleReplicas().size())
				.withDetail("replicas", this.topology.getReplicas().size())
				.build();
		}
		Health.Builder health = Health.down().withDetail("writer", "none");
		for (NodeStatus status : this.topology.getStatuses()) {
			if (status.role() != NodeRole.REPLICA) {
				health.withDetail(status.name(), status.state() + " (" + Secrets.mask(status.reason()) + ")");
			}
		}
		return health.build();
	}

}
