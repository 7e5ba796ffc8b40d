package io.github.replicarouting.topology;

import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;

import io.github.replicarouting.database.GtidPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TopologyTests {

	private final DataSourceNode primary = node("primary", NodeRole.PRIMARY);

	private final DataSourceNode standby = node("standby-1", NodeRole.STANDBY);

	private final DataSourceNode replica1 = node("replica-1", NodeRole.REPLICA);

	private final DataSourceNode replica2 = node("replica-2", NodeRole.REPLICA);

	private final Topology topology = new Topology(this.primary, List.of(this.standby),
			List.of(this.replica1, this.replica2));

	@Test
	void startsWithEveryReplicaEligibleAndThePrimaryWriting() {
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
		assertThat(this.topology.writer()).isSameAs(this.primary);
		assertThat(this.topology.getStatuses()).extracting(NodeStatus::name)
			.containsExactly("primary", "standby-1", "replica-1", "replica-2");
	}

	@Test
	void anAddedReplicaJoinsOnlyOnceTheMonitorFindsItCaughtUp(CapturedOutput output) {
		DataSourceNode replica3 = node("replica-3", NodeRole.REPLICA);
		RecordingListener listener = new RecordingListener();
		this.topology.addListener(listener);
		List<DataSourceNode> before = this.topology.getReplicas();
		this.topology.addReplica(replica3, Duration.ofMillis(500), "dave");
		assertThat(before).containsExactly(this.replica1, this.replica2);
		assertThat(this.topology.getReplicas()).containsExactly(this.replica1, this.replica2, replica3);
		assertThat(this.topology.getStatus("replica-3").state()).isEqualTo(NodeState.LAGGING);
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
		// Reachable but lag unknown, then too far behind: still joining.
		this.topology.reportReachable(replica3, false, null, null, null);
		assertThat(this.topology.getStatus("replica-3").reason()).isEqualTo("joining: lag not measured yet (joins at 500 ms or less)");
		this.topology.reportReachable(replica3, false, Duration.ofSeconds(3), null, null);
		assertThat(this.topology.getStatus("replica-3").reason()).contains("catching up, behind by 3000 ms");
		this.topology.reportReachable(replica3, false, NodeStatus.STOPPED, null, null);
		assertThat(this.topology.eligibleReplicas()).doesNotContain(replica3);
		this.topology.reportReachable(replica3, false, Duration.ofMillis(100), null, null);
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2, replica3);
		// Once in, it follows the rules of every replica: no lag limit, so a lag no longer takes it out.
		this.topology.reportReachable(replica3, false, Duration.ofSeconds(3), null, null);
		assertThat(this.topology.eligibleReplicas()).contains(replica3);
		assertThat(listener.told).containsExactly("added replica-3", "replica-3 LAGGING -> UP");
		assertThat(output).containsOnlyOnce("Replica 'replica-3' added").contains("(requested by dave)")
			.containsOnlyOnce("Replica 'replica-3' has caught up");
	}

	@Test
	void aListenerThatThrowsStopsNeitherTheChangeNorTheOtherListeners(CapturedOutput output) {
		this.topology.addListener(new TopologyListener() {

			@Override
			public void nodeStateChanged(DataSourceNode node, NodeState previous, NodeState current) {
				throw new IllegalStateException("broken listener");
			}

			@Override
			public void writerCheckRequested() {
				throw new IllegalStateException("broken listener");
			}

			@Override
			public void nodeAdded(DataSourceNode node) {
				throw new IllegalStateException("broken listener");
			}

			@Override
			public void nodeRemoved(DataSourceNode node) {
				throw new IllegalStateException("broken listener");
			}

		});
		RecordingListener listener = new RecordingListener();
		this.topology.addListener(listener);
		DataSourceNode replica3 = node("replica-3", NodeRole.REPLICA);
		this.topology.addReplica(replica3, Duration.ZERO, "dave");
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("refused"));
		// Asked by the router after a write was refused: a listener's failure must not replace the write's error.
		this.topology.requestWriterCheck();
		this.topology.removeReplica("replica-3", "dave");
		assertThat(listener.told).containsExactly("added replica-3", "replica-1 UP -> DOWN", "writer check",
				"removed replica-3");
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		assertThat(output).contains("broken listener");
	}

	@Test
	void duplicateNamesAndNodesOtherThanReplicasAreRefusedAndChangeNothing() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.addReplica(node("replica-1", NodeRole.REPLICA), Duration.ZERO, "eve"))
			.withMessageContaining("'replica-1' exists already");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.addReplica(node("standby-2", NodeRole.STANDBY), Duration.ZERO, "eve"))
			.withMessageContaining("only replicas are added");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.removeReplica("primary", "eve"))
			.withMessageContaining("not a replica");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.removeReplica("replica-9", "eve"))
			.withMessageContaining("No node named 'replica-9'");
		assertThat(this.topology.getNodes()).containsExactly(this.primary, this.standby, this.replica1, this.replica2);
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
	}

	@Test
	void aRemovedReplicaIsForgottenAndLateReportsAboutItAreIgnored() {
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, GtidPosition.parseMariaDb("0-1-5"));
		DataSourceNode removed = this.topology.removeReplica("replica-1", "frank");
		assertThat(removed).isSameAs(this.replica1);
		assertThat(this.topology.getReplicas()).containsExactly(this.replica2);
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		assertThat(this.topology.findStatus("replica-1")).isNull();
		// A read or a probe still running on it when it was removed.
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("refused"));
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null, 0);
		assertThat(this.topology.reportNotAnswering(this.replica1, Duration.ofSeconds(1))).isZero();
		assertThat(this.topology.lagOf(this.replica1)).isNull();
		assertThat(this.topology.positionOf(this.replica1)).isNull();
		assertThat(this.topology.getStatuses()).extracting(NodeStatus::name)
			.containsExactly("primary", "standby-1", "replica-2");
		// The name is free again.
		this.topology.addReplica(node("replica-1", NodeRole.REPLICA), Duration.ZERO, "frank");
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.LAGGING);
	}

	@Test
	void monitorDoesNotPutANodeInMaintenanceBackUntilActivated(CapturedOutput output) {
		this.topology.setAdministrativeState("replica-1", AdministrativeState.MAINTENANCE, "alice");
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null);
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("refused"));
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null);
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.UP);
		assertThat(this.topology.getStatus("replica-1").inService()).isFalse();
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		this.topology.setAdministrativeState("replica-1", AdministrativeState.ACTIVE, "alice");
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
		assertThat(output).containsOnlyOnce("Node 'replica-1' ACTIVE -> MAINTENANCE")
			.contains("(requested by alice)");
	}

	@Test
	void aConnectionOpenedAfterMaintenanceBeganIsClosedAtTheNextCheck() throws Exception {
		com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:maintenance-race");
		config.setPoolName("replica-3");
		config.setMinimumIdle(1);
		try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
			DataSourceNode replica3 = new DataSourceNode("replica-3", NodeRole.REPLICA, pool, 1);
			Topology topology = new Topology(this.primary, List.of(), List.of(replica3));
			topology.setAdministrativeState("replica-3", AdministrativeState.MAINTENANCE, "grace");
			// A read that chose replica-3 just before: its pool opens a connection for it after being emptied.
			try (java.sql.Connection late = pool.getConnection()) {
				late.isValid(1);
			}
			assertThat(replica3.getOpenConnections()).isEqualTo(1);
			topology.reportReachable(replica3, false, Duration.ZERO, null, null);
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (replica3.getOpenConnections() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(replica3.getOpenConnections()).as("open connections after the monitor's next check").isZero();
		}
	}

	@Test
	void drainingTheWriterMovesWritesToAWritableStandby() {
		this.topology.reportReachable(this.primary, true, null, null, null);
		this.topology.reportReachable(this.standby, true, null, null, null);
		this.topology.setAdministrativeState("primary", AdministrativeState.DRAIN, "bob");
		assertThat(this.topology.writer()).isSameAs(this.standby);
		this.topology.setAdministrativeState("primary", AdministrativeState.ACTIVE, "bob");
		assertThat(this.topology.writer()).isSameAs(this.primary);
	}

	@Test
	void drainingTheOnlyWriterIsRefusedAndChangesNothing() {
		this.topology.reportReachable(this.primary, true, null, null, null);
		this.topology.reportReachable(this.standby, false, null, null, null);
		org.assertj.core.api.Assertions
			.assertThatIllegalStateException()
			.isThrownBy(() -> this.topology.setAdministrativeState("primary", AdministrativeState.DRAIN, "bob"))
			.withMessageContaining("no standby is writable");
		assertThat(this.topology.writer()).isSameAs(this.primary);
		assertThat(this.topology.getStatus("primary").administrativeState()).isEqualTo(AdministrativeState.ACTIVE);
	}

	@Test
	void weightsChangeAtRunTimeAndBadOnesChangeNothing() {
		this.topology.setWeight("replica-1", 3, "carol");
		assertThat(this.replica1.getWeight()).isEqualTo(3);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.setWeight("replica-1", 0, "carol"));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.topology.setWeight("replica-9", 2, "carol"))
			.withMessageContaining("No node named 'replica-9'");
		assertThat(this.replica1.getWeight()).isEqualTo(3);
	}

	@Test
	void credentialsQuotedByADriverAreMaskedInStateAndLog(CapturedOutput output) {
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException(
				"Could not connect to jdbc:mariadb://db-2:3306/app?user=app&password=s3cr3t: refused"));
		assertThat(this.topology.getStatus("replica-1").reason()).contains("password=******")
			.doesNotContain("s3cr3t");
		assertThat(output).contains("password=******").doesNotContain("s3cr3t");
	}

	@Test
	void nodeThatStopsAnsweringLeavesRotationUntilItAnswersAgain(CapturedOutput output) {
		this.topology.reportNotAnswering(this.replica1, Duration.ofMillis(1500));
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.DOWN);
		assertThat(this.topology.getStatus("replica-1").reason())
			.isEqualTo("not answering: no reply to the monitor within 1500 ms");
		assertThat(this.topology.notAnsweringFor(this.replica1)).isEqualTo(Duration.ofMillis(1500));
		assertThat(output).contains("Node 'replica-1' is down and out of rotation: not answering");
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null);
		assertThat(this.topology.notAnsweringFor(this.replica1)).isNull();
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
	}

	@Test
	void nodeDownForAnotherReasonSaysItStoppedAnsweringOnceTheMonitorFindsOut() {
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("broken pipe"));
		assertThat(this.topology.notAnsweringFor(this.replica1)).isNull();
		this.topology.reportNotAnswering(this.replica1, Duration.ofSeconds(2));
		assertThat(this.topology.getStatus("replica-1").reason()).startsWith("not answering");
	}

	@Test
	void probeThatBeganBeforeTheRouterFoundTheNodeDownDoesNotBringItBack() {
		long downsAtStart = this.topology.downsOf(this.replica1);
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("broken"));
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null, downsAtStart);
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.DOWN);
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null,
				this.topology.downsOf(this.replica1));
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.UP);
	}

	@Test
	void eligibleListIsReusedUntilAStateChanges() {
		List<DataSourceNode> first = this.topology.eligibleReplicas();
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, GtidPosition.parseMariaDb("0-1-1"));
		assertThat(this.topology.eligibleReplicas()).isSameAs(first);
	}

	@Test
	void failedReplicaLeavesRotationOnceAndComesBackWhenReachable(CapturedOutput output) {
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("refused"));
		this.topology.reportConnectionFailure(this.replica1, new SQLNonTransientConnectionException("refused"));
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica2);
		assertThat(this.topology.getStatus("replica-1").state()).isEqualTo(NodeState.DOWN);
		assertThat(this.topology.getStatus("replica-1").reason()).contains("refused");
		assertThat(output).containsOnlyOnce("Node 'replica-1' is down");

		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null, null);
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
		assertThat(output).containsOnlyOnce("Node 'replica-1' is back in rotation");
	}

	@Test
	void laggingReplicaLeavesRotationUntilItCatchesUp() {
		Duration max = Duration.ofMillis(500);
		this.topology.reportReachable(this.replica2, false, Duration.ofSeconds(2), max, GtidPosition.parseMariaDb("0-1-7"));
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1);
		NodeStatus status = this.topology.getStatus("replica-2");
		assertThat(status.state()).isEqualTo(NodeState.LAGGING);
		assertThat(status.lag()).isEqualTo(Duration.ofSeconds(2));
		assertThat(status.reason()).contains("behind by 2000 ms");

		this.topology.reportReachable(this.replica2, false, NodeStatus.STOPPED, max, GtidPosition.parseMariaDb("0-1-7"));
		assertThat(this.topology.getStatus("replica-2").reason()).contains("stopped");

		this.topology.reportReachable(this.replica2, false, Duration.ofMillis(100), max, GtidPosition.parseMariaDb("0-1-9"));
		assertThat(this.topology.eligibleReplicas()).containsExactly(this.replica1, this.replica2);
	}

	@Test
	void lagIsIgnoredWithoutALimit() {
		this.topology.reportReachable(this.replica2, false, NodeStatus.STOPPED, null, null);
		assertThat(this.topology.eligibleReplicas()).contains(this.replica2);
	}

	@Test
	void writesFollowTheFirstWritableCandidate(CapturedOutput output) {
		this.topology.reportReachable(this.primary, false, null, null, null);
		assertThat(this.topology.writer()).isNull();
		assertThat(output).contains("No writable primary");
		this.topology.reportReachable(this.standby, true, null, null, null);
		assertThat(this.topology.writer()).isSameAs(this.standby);
		assertThat(output).contains("Writes now go to 'standby-1'");
		this.topology.reportReachable(this.primary, true, null, null, null);
		assertThat(this.topology.writer()).isSameAs(this.primary);
		assertThat(this.topology.getStatus("primary").writer()).isTrue();
		assertThat(this.topology.getStatus("standby-1").writer()).isFalse();
	}

	@Test
	void deadPrimaryWithoutStandbyLeavesNoWriter() {
		this.topology.reportUnreachable(this.primary, new SQLNonTransientConnectionException("refused"));
		assertThat(this.topology.writer()).isNull();
		this.topology.reportReachable(this.primary, true, null, null, null);
		assertThat(this.topology.writer()).isSameAs(this.primary);
	}

	private static DataSourceNode node(String name, NodeRole role) {
		return new DataSourceNode(name, role, new DriverManagerDataSource("jdbc:unused:" + name), 1);
	}


	/** Writes down every event it is told, in order. */
	private static final class RecordingListener implements TopologyListener {

		private final List<String> told = new java.util.ArrayList<>();

		@Override
		public void nodeStateChanged(DataSourceNode node, NodeState previous, NodeState current) {
			this.told.add(node + " " + previous + " -> " + current);
		}

		@Override
		public void writerCheckRequested() {
			this.told.add("writer check");
		}

		@Override
		public void nodeAdded(DataSourceNode node) {
			this.told.add("added " + node);
		}

		@Override
		public void nodeRemoved(DataSourceNode node) {
			this.told.add("removed " + node);
		}

	}

}
