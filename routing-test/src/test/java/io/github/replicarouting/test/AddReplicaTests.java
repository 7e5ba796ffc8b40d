package io.github.replicarouting.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Replicas added and removed while the cluster runs, and the addresses nodes report to their source.
 */
class AddReplicaTests {

	@Test
	void addedReplicaCatchesUpAndIsListedByThePrimaryUntilRemoved() throws Exception {
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(1).start()) {
			ClusterNode primary = cluster.primary();
			AppSql.execute(cluster, primary, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
			cluster.awaitReplication(Duration.ofSeconds(10));
			assertThat(slaveHosts(cluster)).containsExactly(reported(cluster.node("replica-1")));

			long started = System.nanoTime();
			String name = cluster.addReplica();
			System.out.printf("addReplica() %d ms%n", (System.nanoTime() - started) / 1_000_000);
			assertThat(name).isEqualTo("replica-2");
			ClusterNode added = cluster.node(name);
			assertThat(cluster.replicas()).extracting(ClusterNode::name).containsExactly("replica-1", "replica-2");
			assertThat(added.role()).isEqualTo(ClusterRole.REPLICA);
			assertThat(AppSql.queryLong(cluster, added, "SELECT @@server_id")).isEqualTo(added.serverId())
				.isNotIn((long) primary.serverId(), (long) cluster.node("replica-1").serverId());
			assertThat(cluster.nodeName(added.serverId())).isEqualTo(name);
			// Caught up when addReplica returns: the row written before it is there without waiting.
			assertThat(AppSql.queryLong(cluster, added, "SELECT COUNT(*) FROM t WHERE id = 1")).isEqualTo(1);
			assertThat(awaitSlaveHosts(cluster, 2)).containsExactlyInAnyOrder(reported(cluster.node("replica-1")),
					reported(added));

			AppSql.execute(cluster, primary, "INSERT INTO t VALUES (2)");
			cluster.awaitReplication(Duration.ofSeconds(10));
			assertThat(AppSql.queryLong(cluster, added, "SELECT COUNT(*) FROM t WHERE id = 2")).isEqualTo(1);
			assertThat(cluster.isReadOnly(name)).isTrue();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> AppSql.execute(cluster, added, "INSERT INTO t VALUES (3)"));
			AppSql.assertReplicationHealthy(cluster);

			cluster.removeReplica(name);
			assertThat(cluster.nodes()).extracting(ClusterNode::name).containsExactly("primary", "replica-1");
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.node(name));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> AppSql.connect(cluster, added).close());
			long removed = System.nanoTime();
			assertThat(awaitSlaveHosts(cluster, 1)).containsExactly(reported(cluster.node("replica-1")));
			System.out.printf("SHOW SLAVE HOSTS dropped the removed replica after %d ms%n",
					(System.nanoTime() - removed) / 1_000_000);

			// Numbers and server ids are not reused.
			String again = cluster.addReplica();
			assertThat(again).isEqualTo("replica-3");
			assertThat(cluster.node(again).serverId()).isGreaterThan(added.serverId());
			assertThat(AppSql.queryLong(cluster, cluster.node(again), "SELECT COUNT(*) FROM t")).isEqualTo(2);
			cluster.removeReplica("replica-1");
			assertThat(cluster.replicas()).extracting(ClusterNode::name).containsExactly("replica-3");
			AppSql.assertReplicationHealthy(cluster);
		}
	}

	@Test
	void onlyReplicasCanBeRemoved() throws SQLException {
		try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(1).replicas(0).start()) {
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.removeReplica(ReplicationCluster.PRIMARY))
				.withMessageContaining("only replicas can be removed");
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.removeReplica("standby-1"))
				.withMessageContaining("only replicas can be removed");
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.removeReplica("replica-1"))
				.withMessageContaining("No node named 'replica-1'");
			// Every node reports its address, so the primary's own source lists it too.
			assertThat(slaveHosts(cluster, "standby-1")).containsExactly(reported(cluster.primary()));
		}
	}

	private static String reported(ClusterNode node) {
		return node.serverId() + " 127.0.0.1:" + node.port();
	}

	private static List<String> awaitSlaveHosts(ReplicationCluster cluster, int count) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		List<String> hosts = slaveHosts(cluster);
		while (hosts.size() != count && System.nanoTime() < deadline) {
			AppSql.sleep(50);
			hosts = slaveHosts(cluster);
		}
		return hosts;
	}

	private static List<String> slaveHosts(ReplicationCluster cluster) throws SQLException {
		return slaveHosts(cluster, ReplicationCluster.PRIMARY);
	}

	/** {@code SHOW SLAVE HOSTS} as {@code "serverId host:port"}, asked of the server as the administrative account. */
	private static List<String> slaveHosts(ReplicationCluster cluster, String source) throws SQLException {
		List<String> hosts = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(cluster.node(source).jdbcUrl(),
				cluster.adminUsername(), cluster.adminPassword());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW SLAVE HOSTS")) {
			while (result.next()) {
				hosts.add(result.getLong("Server_id") + " " + result.getString("Host") + ":" + result.getInt("Port"));
			}
		}
		return hosts;
	}

}
