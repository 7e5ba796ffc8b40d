package io.github.replicarouting.actuate;

import io.github.replicarouting.topology.AdministrativeState;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one node, as the topology monitor last saw it: no query runs per health request.
 */
final class NodeHealthIndicator implements HealthIndicator {

	private final Topology topology;

	private final String name;

	NodeHealthIndicator(Topology topology, String name) {
		this.topology = topology;
		this.name = name;
	}

	@Override
	public Health health() {
		NodeStatus status = this.topology.findStatus(this.name);
		if (status == null) {
			return Health.unknown().withDetail("reason", "removed").build();
		}
		Health.Builder health = Health.status(statusOf(status, this.topology.writer() != null))
			.withDetail("role", Names.of(status.role()))
			.withDetail("state", status.state().name())
			.withDetail("administrativeState", status.administrativeState().name())
			.withDetail("reason", String.valueOf(Secrets.mask(status.reason())));
		if (status.role() == NodeRole.REPLICA) {
			String lag = Names.lag(Names.currentLag(status));
			if (lag != null) {
				health.withDetail("lag", lag);
			}
		}
		else {
			health.withDetail("writable", status.writable()).withDetail("writer", status.writer());
		}
		return health.withDetail("since", status.since().toString()).build();
	}

	/**
	 * Only a missing writer is {@code DOWN}: a replica or standby that cannot serve is out of rotation, under a status
	 * the default aggregation ignores, so that the application stays in its load balancer while writes are possible.
	 */
	static Status statusOf(NodeStatus status, boolean writerExists) {
		if (status.administrativeState() != AdministrativeState.ACTIVE && !status.writer()) {
			// An operator took it out: out of rotation, not a failure (a drained writer is no longer the writer).
			return RoutingHealthContributor.OUT_OF_ROTATION;
		}
		if (status.role() == NodeRole.REPLICA) {
			return switch (status.state()) {
				case UP -> Status.UP;
				case LAGGING -> RoutingHealthContributor.LAGGING;
				case DOWN -> RoutingHealthContributor.OUT_OF_ROTATION;
			};
		}
		if (status.writer()) {
			return Status.UP;
		}
		if (!writerExists) {
			return Status.DOWN;
		}
		return switch (status.state()) {
			case UP -> Status.UP;
			case LAGGING, DOWN -> RoutingHealthContributor.OUT_OF_ROTATION;
		};
	}

}
