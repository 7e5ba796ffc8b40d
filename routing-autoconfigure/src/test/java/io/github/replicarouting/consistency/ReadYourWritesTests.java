package io.github.replicarouting.consistency;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.database.GtidPosition;
import io.github.replicarouting.topology.DataSourceNode;
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
		assertThat(plan.flavour()).isEqualTo(DatabaseFlavours.MARIADB);
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

	@Test
	void causalReadsOnMySqlDoNotTakeAGapForApplied() {
		String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
		// replica-1 has 7-9 but lacks 6, the write.
		this.topology.reportReachable(this.replica1, false, Duration.ZERO, null,
				GtidPosition.parseMySql(uuid + ":1-5:7-9"));
		this.topology.reportReachable(this.replica2, false, Duration.ZERO, null, GtidPosition.parseMySql(uuid + ":1-9"));
		ConsistencyContext.record(new ConsistencyToken(NOW, uuid + ":1-6", false));
		ReadPlan plan = policy(ReadYourWritesMode.CAUSAL).planRead(this.topology);
		assertThat(plan.replicas()).containsExactly(this.replica2);
		assertThat(plan.waitFor()).isNull();
	}

	@Test
	void causalReadWithAPositionItCannotReadGoesToTheWriter() {
		// Signed by this application, so not forged, but from a version that wrote a format this one cannot read.
		ConsistencyContext.record(new ConsistencyToken(NOW, "3e11fa47-71ca-11e1-9e33-c80aa9429562:#future:1", false));
		assertThat(policy(ReadYourWritesMode.CAUSAL).planRead(this.topology)).isSameAs(ReadPlan.WRITER_CAUSAL);
	}

	@Test
	void mySqlCommitRecordsOnlyTheWritersOwnIntervals() throws SQLException {
		String own = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
		String executed = "4f2e9b2c-71ca-11e1-9e33-c80aa9429562:1-1000,\n5a0c0bc8-71ca-11e1-9e33-c80aa9429562:1-77,\n"
				+ own.toUpperCase() + ":1-41:43-57";
		Connection writer = policy(ReadYourWritesMode.CAUSAL).trackCommits(mySqlWriter(executed, own));
		try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
			writer.commit();
			ConsistencyToken token = ConsistencyContext.currentToken();
			assertThat(token).isNotNull();
			assertThat(token.mariaDb()).isFalse();
			assertThat(token.gtid()).isEqualTo(own + ":1-41:43-57");
		}
	}

	@Test
	void mySqlCommitOnAServerWhoseOwnUuidIsNotInTheSetRecordsTheWholeSet() throws SQLException {
		// Group Replication names GTIDs after the group, not the member: nothing to trim safely.
		String executed = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa:1-57";
		Connection writer = policy(ReadYourWritesMode.CAUSAL)
			.trackCommits(mySqlWriter(executed, "3e11fa47-71ca-11e1-9e33-c80aa9429562"));
		try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
			writer.commit();
			assertThat(ConsistencyContext.currentToken().gtid()).isEqualTo(executed);
		}
	}

	/**
	 * A MySQL writer's connection as far as recording a commit goes: no MySQL server is available here.
	 */
	private static Connection mySqlWriter(String gtidExecuted, String serverUuid) {
		Map<String, String> variables = Map.of("@@global.gtid_executed", gtidExecuted, "@@global.server_uuid",
				serverUuid);
		return proxy(Connection.class, (connection, method, args) -> switch (method.getName()) {
			case "getMetaData" -> proxy(DatabaseMetaData.class,
					(meta, metaMethod, metaArgs) -> metaMethod.getName().equals("getDatabaseProductVersion") ? "8.4.3"
							: null);
			case "createStatement" -> proxy(Statement.class, (statement, statementMethod, statementArgs) -> {
				if (!statementMethod.getName().equals("executeQuery")) {
					return null;
				}
				String[] columns = ((String) statementArgs[0]).substring("SELECT ".length()).split(",\\s*");
				boolean[] read = new boolean[1];
				return proxy(ResultSet.class, (result, resultMethod, resultArgs) -> switch (resultMethod.getName()) {
					case "next" -> !read[0] && (read[0] = true);
					case "getString" -> variables.get(columns[(Integer) resultArgs[0] - 1]);
					default -> null;
				});
			});
			case "getAutoCommit" -> false;
			default -> null;
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, InvocationHandler handler) {
		return (T) Proxy.newProxyInstance(ReadYourWritesTests.class.getClassLoader(), new Class<?>[] { type }, handler);
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
			// Only the topology's own lock counts: on a busy machine the reader may briefly wait for another monitor
			// (class loading, logging), which says nothing about planning.
			while (reader.isAlive() && !isBlockedOn(reader, this.topology)) {
				Thread.onSpinWait();
			}
			assertThat(isBlockedOn(reader, this.topology)).as("reader blocked on the topology's lock").isFalse();
		}
		reader.join();
		assertThat(planned.get().replicas()).containsExactly(this.replica1, this.replica2);
	}

	private static boolean isBlockedOn(Thread thread, Object monitor) {
		java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean()
			.getThreadInfo(thread.getId());
		java.lang.management.LockInfo lock = (info != null) ? info.getLockInfo() : null;
		return info != null && info.getThreadState() == Thread.State.BLOCKED && lock != null
				&& lock.getIdentityHashCode() == System.identityHashCode(monitor);
	}

	private static DataSourceNode node(String name, NodeRole role) {
		return new DataSourceNode(name, role, new DriverManagerDataSource("jdbc:unused:" + name), 1);
	}

}
