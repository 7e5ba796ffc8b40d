package io.github.replicarouting.benchmarks.overhead;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * In-memory H2 databases standing in for the nodes, so that the pool and the router dominate what is measured. Every
 * node holds a {@code node_marker} row with its own name: the benchmarked statement tells which node served it.
 */
public final class H2Nodes {

	/** The statement every benchmark runs: one primary-key lookup, answered with the serving node's name. */
	public static final String QUERY = "SELECT node FROM node_marker WHERE id = 1";

	/** The primary and the two replicas every alternative is given. */
	public static final String[] NODES = { "primary", "replica-1", "replica-2" };

	private H2Nodes() {
	}

	/**
	 * The JDBC URL of a node's database, kept open for the life of the JVM.
	 * @param node the node name
	 * @return the URL
	 */
	public static String url(String node) {
		return "jdbc:h2:mem:" + node + ";DB_CLOSE_DELAY=-1";
	}

	/**
	 * Create the databases of the given nodes, each with its marker row.
	 * @param nodes the node names
	 */
	public static void create(String... nodes) {
		for (String node : nodes) {
			try (Connection connection = DriverManager.getConnection(url(node), "sa", "");
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS node_marker (id INT PRIMARY KEY, node VARCHAR(64) NOT NULL)");
				statement.execute("MERGE INTO node_marker VALUES (1, '" + node + "')");
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Could not create H2 database for " + node, ex);
			}
		}
	}

	/**
	 * Run {@link #QUERY} on a connection.
	 * @param connection the connection
	 * @return the name of the node that answered
	 * @throws SQLException on failure
	 */
	public static String query(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(QUERY);
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getString(1);
		}
	}

}
