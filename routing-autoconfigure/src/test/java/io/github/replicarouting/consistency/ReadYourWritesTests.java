package io.github.replicarouting.consistency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.GtidPosition;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReadYourWritesTests {

	private static final long NOW = 1_800_000_000_000L;

	private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

	private final DataSourceNode primary = node("primary", NodeRole.PRIMARY);

	private final DataSourceNode replica1 = node("replica-1", NodeRole.REPLICA);

	private final DataSourceNode replica2 = node("replica-2", NodeRole.REPLICA);

	private final Topology topology = new Topology(this.primary, List.of(), List.of(this.replica1, this.replica2));

	@AfterEach
	void clear() {
		ConsistencyContext.clear();
	}

	@Test
	void withoutAWriteAnyReplicaWillDo() {
		assertThat(policy(ReadYourWritesMode.CAUSAL).planRead(this.topology)).isSameAs(ReadPlan.ANY_REPLICA);
		ConsistencyContext.record(new ConsistencyToken(NOW, "1-1-5", true));
		assertThat(policy(ReadYourWritesMode.NONE).planRead(this.topology)).isSameAs(ReadPlan.ANY_REPLICA);
	}

	@Test
	void stickyReadsGoToTheWriterDuringTheWindow() {
		ReadYourWrites sticky = policy(ReadYourWritesMode.STICKY);
		ConsistencyContext.record(new ConsistencyToken(NOW - 1_999, null, false));
		assertThat(sticky.planRead(this.topology)).isSameAs(ReadPlan.WRITER_STICKY);
		ConsistencyContext.clear();
		ConsistencyContext.record(new ConsistencyToken(NOW - 2_001, null, false));
		assertThat(sticky.planRead(this.topology)).isSameAs(ReadPlan.ANY_REPLICA);
	}

	@Test
	void causalReadsUseReplicasKnownToHaveTheWriteWithoutWaiting() {
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, GtidPosition.parseMariaDb("1-1-5"));
		this.topology.reportReachable(this.replica2, false, Duration.ZERO, null, GtidPosition.parseMariaDb("1-1-4"));
		ConsistencyContext.record(new ConsistencyToken(NOW, "1-1-5", true));
		ReadPlan plan = policy(ReadYourWritesMode.CAUSAL).planRead(this.topology);
		assertThat(plan.kind()).isEqualTo(ReadPlan.Kind.REPLICAS);
		assertThat(plan.replicas()).containsExactly(this.replica1);
		assertThat(plan.waitFor()).isNull();
	}

	@Test
	void causalReadsWaitOnReplicasThatMayCatchUpInTime() {
		this.topology.reportReachable(this.replica1, false, Duration.ofMillis(50), null,
				GtidPosition.parseMariaDb("1-1-4"));
		this.topology.reportReachable(this.replica2, false, Duration.ofSeconds(3), null,
				GtidPosition.parseMariaDb("1-1-1"));
		ConsistencyContext.record(new ConsistencyToken(NOW, "1-1-5", true));
		ReadPlan plan = policy(ReadYourWritesMode.CAUSAL).planRead(this.topology);
		assertThat(plan.replicas()).containsExactly(this.replica1);
		assertThat(plan.waitFor()).isEqualTo("1-1-5");
		assertThat(plan.dialect()).isEqualTo(GtidDialect.MARIADB);
	}

	@Test
	void causalReadsGoStraightToTheWriterWhenNoReplicaCanCatchUp() {
		this.topology.reportReachable(this.replica1, false, NodeStatus.STOPPED, null, GtidPosition.parseMariaDb("1-1-4"));
		this.topology.reportReachable(this.replica2, false, Duration.ofSeconds(3), null,
				GtidPosition.parseMariaDb("1-1-1"));
		ConsistencyContext.record(new ConsistencyToken(NOW, "1-1-5", true));
		assertThat(policy(ReadYourWritesMode.CAUSAL).planRead(this.topology)).isSameAs(ReadPlan.WRITER_CAUSAL);
	}

	@Test
	void writesOlderThanTheMaximumAgeAreForgotten() {
		ConsistencyContext.record(new ConsistencyToken(NOW - 61_000, "1-1-5", true));
		assertThat(policy(ReadYourWritesMode.CAUSAL).planRead(this.topology)).isSameAs(ReadPlan.ANY_REPLICA);
	}

	private ReadYourWrites policy(ReadYourWritesMode mode) {
		return new ReadYourWrites(mode, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(60),
				this.clock);
	}

	@Test
	void causalPlanningTakesNoLockOnTheTopology() throws Exception {
		this.topology.reportReachable(this.replica1, false, Duration.ofMillis(50), null,
				GtidPosition.parseMariaDb("1-1-4"));
		ReadYourWrites causal = policy(ReadYourWritesMode.CAUSAL);
		java.util.concurrent.atomic.AtomicReference<ReadPlan> planned = new java.util.concurrent.atomic.AtomicReference<>();
		Thread reader = new Thread(() -> {
			ConsistencyContext.record(new ConsistencyToken(NOW, "1-1-5", true));
			planned.set(causal.planRead(this.topology));
		});
		// The monitor holds the topology's lock while it records a probe: a read must not wait for it.
		synchronized (this.topology) {
			reader.start();
			while (reader.isAlive() && reader.getState() != Thread.State.BLOCKED) {
				Thread.onSpinWait();
			}
			assertThat(reader.getState()).as("reader blocked on the topology's lock").isNotEqualTo(Thread.State.BLOCKED);
		}
		reader.join();
		assertThat(planned.get().replicas()).containsExactly(this.replica1, this.replica2);
	}

	private static DataSourceNode node(String name, NodeRole role) {
		return new DataSourceNode(name, role, new DriverManagerDataSource("jdbc:unused:" + name), 1);
	}

}
