package io.github.replicarouting.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * Statements and queries on one node as the cluster's administrative account, which {@code read_only} does not stop.
 */
final class AdminSql {

	static final String USER = "cluster_admin";

	static final String PASSWORD = "cluster_admin";

	private final ClusterNodes nodes;

	AdminSql(ClusterNodes nodes) {
		this.nodes = nodes;
	}

	/**
	 * SQL that creates the administrative account; every node runs it at every start (idempotent, not replicated).
	 */
	static String accountSql() {
		return "SET SESSION sql_log_bin = 0;\n" + "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '"
				+ PASSWORD + "';\n" + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;\n";
	}

	Connection connect(String name) throws SQLException {
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.nodes.get(name).port()
				+ "/?connectTimeout=2000&" + ClusterNode.MARIADB_WITHOUT_TLS, USER, PASSWORD);
	}

	/** Whether the node accepts a connection and answers. */
	boolean answers(String name) {
		try (Connection connection = connect(name)) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	void execute(String name, String... sql) {
		try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed on " + name + ": " + String.join("; ", sql), ex);
		}
	}

	@Nullable String queryString(String name, String sql) {
		try (Connection connection = connect(name);
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed on " + name + ": " + sql, ex);
		}
	}

	/** {@code SELECT @@global.read_only} as a boolean. */
	static boolean isReadOnly(@Nullable String value) {
		return value != null && !"0".equals(value) && !"OFF".equalsIgnoreCase(value);
	}

	Map<String, @Nullable String> replicationStatus(String name) {
		try (Connection connection = connect(name);
				Statement statement = connection.createStatement();
				ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
			if (!status.next()) {
				return Map.of();
			}
			ResultSetMetaData metaData = status.getMetaData();
			Map<String, @Nullable String> row = new LinkedHashMap<>();
			for (int i = 1; i <= metaData.getColumnCount(); i++) {
				row.put(metaData.getColumnLabel(i), status.getString(i));
			}
			return Collections.unmodifiableMap(row);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the replication status of " + name, ex);
		}
	}

	/** The columns of the replication status that explain why a node does not replicate, for error messages. */
	String replicationStatusSummary(String name) {
		try {
			Map<String, @Nullable String> status = replicationStatus(name);
			if (status.isEmpty()) {
				return "(none)";
			}
			StringJoiner summary = new StringJoiner(", ", "(", ")");
			for (String column : List.of("Slave_IO_Running", "Slave_SQL_Running", "Gtid_IO_Pos", "Last_IO_Errno",
					"Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error")) {
				summary.add(column + "=" + status.get(column));
			}
			return summary.toString();
		}
		catch (RuntimeException ex) {
			return "(unavailable: " + ex.getMessage() + ")";
		}
	}

}
