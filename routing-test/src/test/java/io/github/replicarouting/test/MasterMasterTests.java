package io.github.replicarouting.test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static io.github.replicarouting.test.AppSql.assertReplicationHealthy;
import static io.github.replicarouting.test.AppSql.execute;
import static io.github.replicarouting.test.AppSql.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shared cluster: primary and {@code standby-1} replicate from each other, the replicas from the primary.
 */
@WithReplicationCluster
class MasterMasterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void sharedClusterHasPrimaryStandbyAndTwoReplicas(ReplicationCluster cluster) throws SQLException {
		assertThat(cluster.nodes()).extracting(ClusterNode::name)
			.containsExactly("primary", "standby-1", "replica-1", "replica-2");
		assertThat(cluster.nodes()).extracting(ClusterNode::role)
			.containsExactly(ClusterRole.PRIMARY, ClusterRole.STANDBY, ClusterRole.REPLICA, ClusterRole.REPLICA);
		assertThat(cluster.primary().name()).isEqualTo(ReplicationCluster.PRIMARY);
		assertThat(cluster.standbys()).extracting(ClusterNode::name).containsExactly("standby-1");
		assertThat(cluster.replicas()).extracting(ClusterNode::name).containsExactly("replica-1", "replica-2");
		assertThat(cluster.nodes()).filteredOn(ClusterNode::replica)
			.extracting(ClusterNode::name)
			.containsExactly("replica-1", "replica-2");
		assertThat(cluster.nodes()).extracting(ClusterNode::serverId).doesNotHaveDuplicates();
		for (ClusterNode node : cluster.nodes()) {
			assertThat(cluster.nodeName(AppSql.queryLong(cluster, node, "SELECT @@server_id"))).isEqualTo(node.name());
			assertThat(cluster.node(node.name())).isEqualTo(node);
			assertThat(cluster.isReadOnly(node.name())).as(node.name()).isEqualTo(node.role() != ClusterRole.PRIMARY);
		}
		assertThat(cluster.replicationStatus("replica-1").get("Master_Port"))
			.isEqualTo(String.valueOf(cluster.primary().port()));
		assertThat(cluster.replicationStatus("standby-1").get("Master_Port"))
			.isEqualTo(String.valueOf(cluster.primary().port()));
		assertThat(cluster.replicationStatus(ReplicationCluster.PRIMARY).get("Master_Port"))
			.isEqualTo(String.valueOf(cluster.node("standby-1").port()));
		assertReplicationHealthy(cluster);
	}

	@Test
	void switchoverToStandbyAndBack(ReplicationCluster cluster) throws SQLException {
		String table = "switchover";
		ClusterNode primary = cluster.primary();
		ClusterNode standby = cluster.node("standby-1");
		execute(cluster, primary, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, origin VARCHAR(32))");
		insert(cluster, primary, table, 1, 3);
		cluster.awaitReplication(TIMEOUT);
		assertEveryNodeHas(cluster, table, 1, 3);
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(cluster, standby, table, 100, 100))
			.withMessageContaining("read-only");
		try {
			// Planned switchover: stop writes on the primary, let the standby catch up, then open the standby.
			cluster.setReadOnly(primary.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(standby.name(), false);
			assertThat(cluster.isReadOnly(primary.name())).isTrue();
			assertThat(cluster.isReadOnly(standby.name())).isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(cluster, primary, table, 100, 100))
				.withMessageContaining("read-only");

			insert(cluster, standby, table, 4, 6);
			cluster.awaitReplication(TIMEOUT);
			assertEveryNodeHas(cluster, table, 1, 6);
			String fromStandby = "SELECT COUNT(*) FROM " + table + " WHERE origin = 'standby-1'";
			assertThat(AppSql.queryLong(cluster, primary, fromStandby))
				.isEqualTo(3);
		}
		finally {
			cluster.setReadOnly(standby.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(primary.name(), false);
		}
		insert(cluster, primary, table, 7, 9);
		cluster.awaitReplication(TIMEOUT);
		assertEveryNodeHas(cluster, table, 1, 9);
		assertReplicationHealthy(cluster);
		// Nothing bounces between the two masters: positions stay put once replication is done.
		String before = positions(cluster);
		AppSql.sleep(300);
		assertThat(positions(cluster)).isEqualTo(before);
		// Each master wrote in its own GTID domain.
		assertThat(cluster.queryString(primary.name(), "SELECT @@global.gtid_binlog_pos"))
			.contains(primary.serverId() + "-" + primary.serverId() + "-")
			.contains(standby.serverId() + "-" + standby.serverId() + "-");
	}

	@Test
	void switchoverBeforeStandbyCaughtUpKeepsAutoIncrementKeysApart(ReplicationCluster cluster) throws SQLException {
		String table = "early_switchover";
		ClusterNode primary = cluster.primary();
		ClusterNode standby = cluster.node("standby-1");
		execute(cluster, primary,
				"CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, origin VARCHAR(32) NOT NULL)");
		cluster.awaitReplication(TIMEOUT);
		cluster.pauseReplication(standby.name());
		try {
			for (int i = 0; i < 5; i++) {
				execute(cluster, primary, "INSERT INTO " + table + " (origin) VALUES ('primary')");
			}
			// standby-1 takes writes without the primary's last rows, as in a failover that did not wait.
			cluster.setReadOnly(primary.name(), true);
			cluster.setReadOnly(standby.name(), false);
			for (int i = 0; i < 5; i++) {
				execute(cluster, standby, "INSERT INTO " + table + " (origin) VALUES ('standby-1')");
			}
		}
		finally {
			cluster.resumeReplication(standby.name());
			cluster.setReadOnly(standby.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(primary.name(), false);
		}
		List<Long> ids = ids(cluster, primary, table);
		assertThat(ids).hasSize(10).doesNotHaveDuplicates();
		for (ClusterNode node : cluster.nodes()) {
			assertThat(ids(cluster, node, table)).as(node.name()).isEqualTo(ids);
			assertThat(AppSql.queryLong(cluster, node,
					"SELECT COUNT(*) FROM " + table + " WHERE origin = 'standby-1'"))
				.as(node.name())
				.isEqualTo(5);
		}
		assertReplicationHealthy(cluster);
	}

	@Test
	void stoppedPrimaryResumesReplication(ReplicationCluster cluster) throws SQLException {
		String table = "stop_primary";
		ClusterNode primary = cluster.primary();
		execute(cluster, primary, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, origin VARCHAR(32))");
		insert(cluster, primary, table, 1, 3);
		cluster.awaitReplication(TIMEOUT);

		long started = System.nanoTime();
		cluster.stopNode(primary.name());
		long stopped = System.nanoTime();
		assertThat(cluster.isRunning(primary.name())).isFalse();
		cluster.awaitReplication(TIMEOUT); // the running nodes are consistent among themselves
		cluster.startNode(primary.name());
		long restarted = System.nanoTime();
		System.out.printf("stopNode(primary) %d ms, startNode(primary) %d ms%n", (stopped - started) / 1_000_000,
				(restarted - stopped) / 1_000_000);
		assertThat(cluster.isReadOnly(primary.name())).isFalse();

		insert(cluster, primary, table, 4, 6);
		cluster.awaitReplication(TIMEOUT);
		assertEveryNodeHas(cluster, table, 1, 6);
		assertReplicationHealthy(cluster);
	}

	@Test
	void killedPrimaryRecoversAndResumesReplicatingFromStandby(ReplicationCluster cluster) throws Exception {
		String table = "kill_primary";
		ClusterNode primary = cluster.primary();
		ClusterNode standby = cluster.node("standby-1");
		execute(cluster, primary, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, origin VARCHAR(32))");
		cluster.awaitReplication(TIMEOUT);
		long acknowledged;
		long killMillis;
		try (AppSql.Writer writer = new AppSql.Writer(cluster, primary, table, 1)) {
			writer.awaitAcknowledged(200);
			long started = System.nanoTime();
			cluster.killNode(primary.name());
			killMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(cluster.isRunning(primary.name())).isFalse();
			writer.close();
			acknowledged = writer.acknowledged();
		}
		long started = System.nanoTime();
		cluster.startNode(primary.name());
		System.out.printf("killNode(primary) under load %d ms, startNode(primary) after kill %d ms, "
				+ "%d inserts acknowledged%n", killMillis, (System.nanoTime() - started) / 1_000_000, acknowledged);
		cluster.awaitReplication(TIMEOUT);
		long rows = AppSql.queryLong(cluster, primary, "SELECT COUNT(*) FROM " + table);
		assertThat(rows).as("nothing acknowledged was lost").isGreaterThanOrEqualTo(acknowledged);
		for (ClusterNode node : cluster.nodes()) {
			assertThat(ids(cluster, node, table)).as(node.name()).isEqualTo(ids(cluster, primary, table));
		}
		assertReplicationHealthy(cluster);

		// The restarted primary replicates from standby-1 again: switch over and write there.
		try {
			cluster.setReadOnly(primary.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(standby.name(), false);
			insert(cluster, standby, table, 1_000_001, 1_000_003);
			cluster.awaitReplication(TIMEOUT);
			for (ClusterNode node : cluster.nodes()) {
				assertThat(AppSql.queryLong(cluster, node, "SELECT COUNT(*) FROM " + table + " WHERE id > 1000000"))
					.as(node.name())
					.isEqualTo(3);
			}
		}
		finally {
			cluster.setReadOnly(standby.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(primary.name(), false);
		}
		assertReplicationHealthy(cluster);
	}

	@Test
	void killedStandbyCatchesUpAndFeedsThePrimaryAgain(ReplicationCluster cluster) throws Exception {
		String table = "kill_standby";
		ClusterNode primary = cluster.primary();
		ClusterNode standby = cluster.node("standby-1");
		execute(cluster, primary, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, origin VARCHAR(32))");
		insert(cluster, primary, table, 1, 3);
		cluster.awaitReplication(TIMEOUT);
		cluster.killNode(standby.name());
		assertThat(cluster.isRunning(standby.name())).isFalse();
		insert(cluster, primary, table, 4, 6);
		cluster.awaitReplication(TIMEOUT); // skips the stopped standby
		cluster.startNode(standby.name());
		assertThat(cluster.isReadOnly(standby.name())).isTrue();
		cluster.awaitReplication(TIMEOUT);
		assertEveryNodeHas(cluster, table, 1, 6);
		assertReplicationHealthy(cluster);
	}

	@Test
	void readOnlyIsKeptAcrossRestarts(ReplicationCluster cluster) {
		ClusterNode standby = cluster.node("standby-1");
		try {
			cluster.setReadOnly(standby.name(), false);
			cluster.stopNode(standby.name());
			cluster.startNode(standby.name());
			assertThat(cluster.isReadOnly(standby.name())).isFalse();
			cluster.execute(standby.name(), "SET GLOBAL read_only = 1");
			cluster.killNode(standby.name());
			cluster.startNode(standby.name());
			assertThat(cluster.isReadOnly(standby.name())).isTrue();
		}
		finally {
			cluster.startNode(standby.name());
			cluster.setReadOnly(standby.name(), true);
		}
		cluster.awaitReplication(TIMEOUT);
		assertReplicationHealthy(cluster);
	}

	private static void insert(ReplicationCluster cluster, ClusterNode node, String table, long from, long to)
			throws SQLException {
		for (long id = from; id <= to; id++) {
			execute(cluster, node, "INSERT INTO " + table + " VALUES (" + id + ", '" + node.name() + "')");
		}
	}

	private static void assertEveryNodeHas(ReplicationCluster cluster, String table, long from, long to)
			throws SQLException {
		List<Long> expected = LongStream.rangeClosed(from, to).boxed().toList();
		for (ClusterNode node : cluster.nodes()) {
			assertThat(ids(cluster, node, table)).as(node.name()).isEqualTo(expected);
		}
	}

	private static String positions(ReplicationCluster cluster) {
		StringBuilder positions = new StringBuilder();
		for (ClusterNode node : cluster.nodes()) {
			positions.append(node.name())
				.append(": ")
				.append(cluster.queryString(node.name(), "SELECT @@global.gtid_binlog_pos"))
				.append(" / ")
				.append(cluster.queryString(node.name(), "SELECT @@global.gtid_slave_pos"))
				.append('\n');
		}
		return positions.toString();
	}

}
