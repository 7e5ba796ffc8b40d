package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.topology.DataSourceNode;

/**
 * What each node of the cluster says it received: its general log ({@code mysql.general_log}), switched on for a
 * window. Counting is the server's, so it sees every statement a driver sends, whatever the driver says it sent.
 */
final class GeneralLog implements AutoCloseable {

	/**
	 * One command a node received.
	 * @param node the node's name
	 * @param thread the server's connection id
	 * @param command {@code Query}, {@code Connect}, {@code Quit}, ...
	 * @param sql the statement (or the command's argument)
	 * @param user the account and host, as the server writes them
	 */
	record Entry(String node, long thread, String command, String sql, String user) {

		@Override
		public String toString() {
			return this.node + "#" + this.thread + " " + this.command + ": " + this.sql;
		}

	}

	private final ReplicationCluster cluster;

	private boolean on;

	private GeneralLog(ReplicationCluster cluster) {
		this.cluster = cluster;
	}

	/**
	 * Empty every node's general log and switch it on.
	 */
	static GeneralLog start(ReplicationCluster cluster) {
		GeneralLog log = new GeneralLog(cluster);
		for (ClusterNode node : cluster.nodes()) {
			cluster.execute(node.name(), "SET GLOBAL general_log = 0", "SET GLOBAL log_output = 'TABLE'",
					"TRUNCATE TABLE mysql.general_log", "SET GLOBAL general_log = 1");
		}
		log.on = true;
		return log;
	}

	/**
	 * Switch every node's general log off and return what they received meanwhile, in order per node.
	 */
	List<Entry> stop() {
		for (ClusterNode node : this.cluster.nodes()) {
			// Logged after everything the test sent: once it is in the table, so is all that came before it.
			this.cluster.execute(node.name(), "SELECT 'general-log-end'");
		}
		List<Entry> entries;
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (true) {
			List<Entry> read = read();
			entries = read;
			boolean complete = this.cluster.nodes().stream().allMatch((node) -> read.stream()
				.anyMatch((entry) -> entry.node().equals(node.name()) && entry.sql() != null
						&& entry.sql().contains("'general-log-end'")));
			if (complete || Instant.now().isAfter(deadline)) {
				break;
			}
		}
		switchOff();
		return entries;
	}

	private List<Entry> read() {
		List<Entry> entries = new ArrayList<>();
		for (ClusterNode node : this.cluster.nodes()) {
			try (Connection connection = DriverManager.getConnection(node.jdbcUrl("mariadb"),
					this.cluster.adminUsername(), this.cluster.adminPassword());
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT thread_id, command_type, "
							+ "CONVERT(argument USING utf8mb4), user_host FROM mysql.general_log")) {
				while (result.next()) {
					entries.add(new Entry(node.name(), result.getLong(1), result.getString(2), result.getString(3),
							result.getString(4)));
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Could not read the general log of " + node.name(), ex);
			}
		}
		return entries;
	}

	private void switchOff() {
		if (this.on) {
			for (ClusterNode node : this.cluster.nodes()) {
				this.cluster.execute(node.name(), "SET GLOBAL general_log = 0");
			}
			this.on = false;
		}
	}

	@Override
	public void close() {
		switchOff();
	}

	/**
	 * Every command received, on any node, by the connections that sent at least one statement containing
	 * {@code marker}: the application's own connections, whatever else runs on the servers meanwhile.
	 */
	static List<Entry> onConnectionsThatSent(List<Entry> entries, String marker) {
		Set<String> threads = new LinkedHashSet<>();
		for (Entry entry : entries) {
			if (entry.sql() != null && entry.sql().contains(marker)) {
				threads.add(entry.node() + "#" + entry.thread());
			}
		}
		return entries.stream().filter((entry) -> threads.contains(entry.node() + "#" + entry.thread())).toList();
	}

	static List<Entry> matching(List<Entry> entries, Predicate<Entry> predicate) {
		return entries.stream().filter(predicate).toList();
	}

	static List<Entry> on(List<Entry> entries, String node) {
		return matching(entries, (entry) -> entry.node().equals(node));
	}

	/**
	 * A statement with its marker and case made uniform, to compare what two connections sent.
	 */
	static String normalized(Entry entry, String marker) {
		return entry.command() + ": " + entry.sql().replace(marker, "<marker>").trim().toLowerCase(Locale.ROOT);
	}

	/**
	 * Wait until every pool of the routing data source holds its minimum of idle connections, so that no connection
	 * opens (and sends its start-up statements) in a counted window.
	 */
	static void awaitFullPools(DataSource dataSource) {
		RoutingDataSource routing = (RoutingDataSource) dataSource;
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		for (DataSourceNode node : routing.getTopology().getNodes()) {
			try {
				HikariDataSource pool = node.getDataSource().unwrap(HikariDataSource.class);
				while (pool.getHikariPoolMXBean() == null
						|| pool.getHikariPoolMXBean().getTotalConnections() < pool.getMinimumIdle()) {
					if (Instant.now().isAfter(deadline)) {
						throw new IllegalStateException("Pool " + pool.getPoolName() + " did not fill");
					}
					Thread.sleep(20);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
