package io.github.replicarouting.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;

/**
 * Asks one node of the cluster directly over JDBC, bypassing the application, to see where the data really is.
 */
final class DirectQueries {

	private DirectQueries() {
	}

	static long ticketsOf(ReplicationCluster cluster, ClusterNode node, String buyer) {
		return count(cluster, node, "SELECT COUNT(*) FROM tickets WHERE buyer = ?", buyer);
	}

	static long eventsNamed(ReplicationCluster cluster, ClusterNode node, String name) {
		return count(cluster, node, "SELECT COUNT(*) FROM events WHERE name = ?", name);
	}

	private static long count(ReplicationCluster cluster, ClusterNode node, String sql, String parameter) {
		try (Connection connection = DriverManager.getConnection(node.jdbcUrl(), cluster.username(),
				cluster.password()); PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, parameter);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not query " + node.name() + ": " + sql, ex);
		}
	}

}
