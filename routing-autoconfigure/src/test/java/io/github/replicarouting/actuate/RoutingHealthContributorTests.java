package io.github.replicarouting.actuate;

import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingHealthContributorTests {

	private final DataSourceNode primary = node("primary", NodeRole.PRIMARY);

	private final DataSourceNode standby = node("standby-1", NodeRole.STANDBY);

	private final DataSourceNode replica1 = node("replica-1", NodeRole.REPLICA);

	private final DataSourceNode replica2 = node("replica-2", NodeRole.REPLICA);

	private final Topology topology = new Topology(this.primary, List.of(this.standby),
			List.of(this.replica1, this.replica2));

	private final RoutingHealthContributor health = new RoutingHealthContributor(this.topology);

	@Test
	void hasOneEntryPerNodeUnderPrimaryStandbysAndReplicas() {
		assertThat(this.health.stream().map(HealthContributors.Entry::name)).containsExactly("primary", "standbys",
				"replicas");
		assertThat(names(this.health.getContributor("standbys"))).containsExactly("standby-1");
		assertThat(names(this.health.getContributor("replicas"))).containsExactly("replica-1", "replica-2");
		Health primary = ((HealthIndicator) this.health.getContributor("primary")).health();
		assertThat(primary.getStatus()).isEqualTo(Status.UP);
		assertThat(primary.getDetails()).containsEntry("role", "primary")
			.containsEntry("state", "UP")
			.containsEntry("writer", true)
			.containsKeys("reason", "since");
	}

	@Test
	void deadReplicaIsOutOfRotationAndTheCompositeStaysUp() {
		this.topology.reportConnectionFailure(this.replica1,
				new SQLNonTransientConnectionException("Could not connect to jdbc:mysql://app:s3cret@db/app"));
		Health replica = replicaHealth("replica-1");
		assertThat(replica.getStatus()).isEqualTo(RoutingHealthContributor.OUT_OF_ROTATION);
		assertThat(replica.getDetails()).containsEntry("state", "DOWN");
		assertThat(replica.getDetails().get("reason").toString()).contains("app:******@db").doesNotContain("s3cret");
		assertThat(aggregate(this.health)).isEqualTo(Status.UP);
	}

	@Test
	void everyReplicaOutOfRotationStillLeavesTheCompositeUp() {
		this.topology.markDown(this.replica1, "gone");
		this.topology.markDown(this.replica2, "gone");
		this.topology.markDown(this.standby, "gone");
		assertThat(aggregate(this.health)).isEqualTo(Status.UP);
	}

	@Test
	void noWriterIsDown() {
		this.topology.markDown(this.primary, "connection refused");
		assertThat(this.topology.writer()).isNull();
		Health primary = ((HealthIndicator) this.health.getContributor("primary")).health();
		assertThat(primary.getStatus()).isEqualTo(Status.DOWN);
		assertThat(aggregate(this.health)).isEqualTo(Status.DOWN);
		Health db = new WriterHealthIndicator(this.topology).health();
		assertThat(db.getStatus()).isEqualTo(Status.DOWN);
		assertThat(db.getDetails()).containsEntry("writer", "none")
			.containsEntry("primary", "DOWN (connection refused)");
	}

	@Test
	void writerHealthIsUpWhileSomeNodeTakesWrites() {
		this.topology.markDown(this.replica1, "gone");
		Health db = new WriterHealthIndicator(this.topology).health();
		assertThat(db.getStatus()).isEqualTo(Status.UP);
		assertThat(db.getDetails()).containsEntry("writer", "primary")
			.containsEntry("replicasInRotation", 1)
			.containsEntry("replicas", 2);
	}

	@Test
	void statusOfEachState() {
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.REPLICA, NodeState.UP, false), true))
			.isEqualTo(Status.UP);
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.REPLICA, NodeState.LAGGING, false), true))
			.isEqualTo(RoutingHealthContributor.LAGGING);
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.REPLICA, NodeState.DOWN, false), true))
			.isEqualTo(RoutingHealthContributor.OUT_OF_ROTATION);
		// The primary is down but a standby took over: the application still writes.
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.PRIMARY, NodeState.DOWN, false), true))
			.isEqualTo(RoutingHealthContributor.OUT_OF_ROTATION);
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.STANDBY, NodeState.UP, true), true))
			.isEqualTo(Status.UP);
		assertThat(NodeHealthIndicator.statusOf(status(NodeRole.STANDBY, NodeState.UP, false), false))
			.isEqualTo(Status.DOWN);
	}

	@Test
	void lagIsShownForPeople() {
		assertThat(Names.lag(Duration.ofMillis(1250))).isEqualTo("1250 ms");
		assertThat(Names.lag(NodeStatus.STOPPED)).isEqualTo("replication stopped");
		assertThat(Names.lag(null)).isNull();
	}

	private Health replicaHealth(String name) {
		CompositeHealthContributor replicas = (CompositeHealthContributor) this.health.getContributor("replicas");
		return ((HealthIndicator) replicas.getContributor(name)).health();
	}

	/**
	 * Aggregate as the health endpoint does, with Boot's default status order.
	 */
	private static Status aggregate(HealthContributor contributor) {
		if (contributor instanceof HealthIndicator indicator) {
			return indicator.health().getStatus();
		}
		Set<Status> statuses = new LinkedHashSet<>();
		((CompositeHealthContributor) contributor).stream()
			.forEach((entry) -> statuses.add(aggregate(entry.contributor())));
		return new SimpleStatusAggregator().getAggregateStatus(statuses);
	}

	private static List<String> names(HealthContributor contributor) {
		return ((CompositeHealthContributor) contributor).stream().map(HealthContributors.Entry::name).toList();
	}

	private static NodeStatus status(NodeRole role, NodeState state, boolean writer) {
		return new NodeStatus("node", role, state, "test", writer, writer, null, null, Instant.now());
	}

	private static DataSourceNode node(String name, NodeRole role) {
		return new DataSourceNode(name, role, new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:1/none"), 1);
	}

}
