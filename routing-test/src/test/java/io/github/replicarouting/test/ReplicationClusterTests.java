package io.github.replicarouting.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReplicationClusterTests {

	@Test
	void replicatesAndControlsNodes() throws Exception {
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(2).start()) {
			assertThat(cluster.replicas()).extracting(ClusterNode::name).containsExactly("replica-1", "replica-2");
			assertThat(cluster.standbys()).isEmpty();
			assertThat(cluster.nodes()).extracting(ClusterNode::role)
				.containsExactly(ClusterRole.PRIMARY, ClusterRole.REPLICA, ClusterRole.REPLICA);
			assertThat(cluster.primary().replica()).isFalse();
			assertThat(cluster.replicationStatus(ReplicationCluster.PRIMARY)).isEmpty();
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.pauseReplication(ReplicationCluster.PRIMARY));
			execute(cluster, cluster.primary(), "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
			cluster.awaitReplication(Duration.ofSeconds(10));
			for (ClusterNode node : cluster.nodes()) {
				assertThat(count(cluster, node)).isEqualTo(1);
				assertThat(serverId(cluster, node)).isEqualTo(node.serverId());
			}
			// The application user has no SUPER: read_only=1 on a replica stops it.
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> execute(cluster, cluster.replicas().get(0), "INSERT INTO t VALUES (2)"));

			cluster.pauseReplication("replica-1");
			assertThat(cluster.isReplicationPaused("replica-1")).isTrue();
			assertThat(cluster.replicationLagSeconds("replica-1")).isNull();
			assertThat(cluster.replicationLagSeconds("replica-2")).isNotNull();
			assertThat(cluster.replicationLagSeconds(ReplicationCluster.PRIMARY)).isNull();
			execute(cluster, cluster.primary(), "INSERT INTO t VALUES (3)");
			cluster.awaitReplication(Duration.ofSeconds(10));
			assertThat(count(cluster, cluster.node("replica-1"))).isEqualTo(1);
			assertThat(count(cluster, cluster.node("replica-2"))).isEqualTo(2);
			cluster.resumeReplication("replica-1");
			assertThat(cluster.isReplicationPaused("replica-1")).isFalse();
			cluster.awaitReplication(Duration.ofSeconds(10));
			assertThat(count(cluster, cluster.node("replica-1"))).isEqualTo(2);
			assertThat(cluster.replicationLagSeconds("replica-1")).isNotNull().isGreaterThanOrEqualTo(0);

			cluster.stopNode("replica-2");
			assertThat(cluster.isRunning("replica-2")).isFalse();
			execute(cluster, cluster.primary(), "INSERT INTO t VALUES (4)");
			cluster.startNode("replica-2");
			assertThat(cluster.isRunning("replica-2")).isTrue();
			cluster.awaitReplication(Duration.ofSeconds(30));
			assertThat(count(cluster, cluster.node("replica-2"))).isEqualTo(3);
			AppSql.assertReplicationHealthy(cluster);
		}
	}

	@Test
	void killedReplicaRecoversAndCatchesUp() throws Exception {
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(1).start()) {
			ClusterNode primary = cluster.primary();
			ClusterNode replica = cluster.node("replica-1");
			execute(cluster, primary, "CREATE TABLE k (id BIGINT PRIMARY KEY)");
			cluster.awaitReplication(Duration.ofSeconds(10));
			try (AppSql.Writer writer = new AppSql.Writer(cluster, primary, "k", 1)) {
				writer.awaitAcknowledged(100);
				long started = System.nanoTime();
				cluster.killNode(replica.name());
				long killed = System.nanoTime();
				assertThat(cluster.isRunning(replica.name())).isFalse();
				writer.awaitAcknowledged(writer.acknowledged() + 100);
				cluster.startNode(replica.name());
				System.out.printf("killNode(replica-1) %d ms, startNode(replica-1) after kill %d ms%n",
						(killed - started) / 1_000_000, (System.nanoTime() - killed) / 1_000_000);
				writer.awaitAcknowledged(writer.acknowledged() + 100);
				writer.close();
				assertThat(writer.failures()).isZero();
				cluster.awaitReplication(Duration.ofSeconds(30));
				assertThat(AppSql.ids(cluster, replica, "k")).isEqualTo(AppSql.ids(cluster, primary, "k"))
					.hasSize((int) writer.acknowledged());
			}
			AppSql.assertReplicationHealthy(cluster);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> {
				cluster.stopNode(replica.name());
				cluster.killNode(replica.name());
			});
		}
	}

	private static void execute(ReplicationCluster cluster, ClusterNode node, String... sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(node.jdbcUrl(), cluster.username(), cluster.password());
				Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
	}

	private static long count(ReplicationCluster cluster, ClusterNode node) throws SQLException {
		return queryLong(cluster, node, "SELECT COUNT(*) FROM t");
	}

	private static long serverId(ReplicationCluster cluster, ClusterNode node) throws SQLException {
		return queryLong(cluster, node, "SELECT @@server_id");
	}

	private static long queryLong(ReplicationCluster cluster, ClusterNode node, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(node.jdbcUrl(), cluster.username(), cluster.password());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

}
