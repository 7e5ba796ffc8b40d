package io.github.replicarouting.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL as the application account (no SUPER, so {@code read_only} applies), and replication health checks.
 */
final class AppSql {

	private AppSql() {
	}

	static void execute(ReplicationCluster cluster, ClusterNode node, String... sql) throws SQLException {
		try (Connection connection = connect(cluster, node); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
	}

	static long queryLong(ReplicationCluster cluster, ClusterNode node, String sql) throws SQLException {
		try (Connection connection = connect(cluster, node);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	static List<Long> ids(ReplicationCluster cluster, ClusterNode node, String table) throws SQLException {
		List<Long> ids = new ArrayList<>();
		try (Connection connection = connect(cluster, node);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
			while (result.next()) {
				ids.add(result.getLong(1));
			}
		}
		return ids;
	}

	static Connection connect(ReplicationCluster cluster, ClusterNode node) throws SQLException {
		return DriverManager.getConnection(node.jdbcUrl() + "&connectTimeout=2000", cluster.username(),
				cluster.password());
	}

	/**
	 * Every node that replicates applies without error and is connected to its source.
	 */
	static void assertReplicationHealthy(ReplicationCluster cluster) {
		for (ClusterNode node : cluster.nodes()) {
			Map<String, String> status = awaitConnected(cluster, node.name(), Duration.ofSeconds(30));
			if (node.role() == ClusterRole.PRIMARY && cluster.standbys().isEmpty()) {
				assertThat(status).as(node.name()).isEmpty();
				continue;
			}
			assertThat(status.get("Last_SQL_Errno"))
				.as("%s Last_SQL_Errno: %s", node.name(), status.get("Last_SQL_Error"))
				.isEqualTo("0");
			assertThat(status.get("Slave_SQL_Running")).as("%s Slave_SQL_Running", node.name()).isEqualTo("Yes");
			assertThat(status.get("Slave_IO_Running")).as("%s Slave_IO_Running: %s", node.name(),
					status.get("Last_IO_Error"))
				.isEqualTo("Yes");
			assertThat(status.get("Using_Gtid")).as("%s Using_Gtid", node.name()).isEqualTo("Slave_Pos");
		}
	}

	/**
	 * The node's replication status once its I/O thread is connected (it reconnects every second after a restart).
	 */
	static Map<String, String> awaitConnected(ReplicationCluster cluster, String name, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Map<String, String> status = cluster.replicationStatus(name);
			if (status.isEmpty() || "Yes".equals(status.get("Slave_IO_Running")) || System.nanoTime() > deadline) {
				return status;
			}
			sleep(20);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Inserts rows with increasing ids on one node, one per autocommit statement, until stopped; counts the inserts
	 * the server acknowledged. Reconnects after a failure (the node may be down).
	 */
	static final class Writer implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong acknowledged = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final Thread thread;

		Writer(ReplicationCluster cluster, ClusterNode node, String table, long firstId) {
			this.thread = new Thread(() -> {
				long id = firstId;
				while (this.running.get()) {
					try (Connection connection = connect(cluster, node);
							Statement statement = connection.createStatement()) {
						while (this.running.get()) {
							statement.execute("INSERT INTO " + table + " (id) VALUES (" + id + ")");
							id++;
							this.acknowledged.incrementAndGet();
						}
					}
					catch (SQLException ex) {
						// The insert may or may not have been committed; never reuse its id.
						id++;
						this.failures.incrementAndGet();
						sleep(20);
					}
				}
			}, "writer-" + node.name());
			this.thread.start();
		}

		void awaitAcknowledged(long count) {
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (this.acknowledged.get() < count && System.nanoTime() < deadline) {
				sleep(5);
			}
			assertThat(this.acknowledged.get()).as("acknowledged inserts").isGreaterThanOrEqualTo(count);
		}

		long acknowledged() {
			return this.acknowledged.get();
		}

		long failures() {
			return this.failures.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(10_000);
		}

	}

}
