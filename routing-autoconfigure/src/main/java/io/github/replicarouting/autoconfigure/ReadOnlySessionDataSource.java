package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Opens MySQL/MariaDB connections whose session is read-only, for a pool whose init SQL is the user's own.
 */
final class ReadOnlySessionDataSource extends DelegatingDataSource {

	ReadOnlySessionDataSource(DataSource physicalConnections) {
		super(physicalConnections);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return readOnlySession(obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return readOnlySession(obtainTargetDataSource().getConnection(username, password));
	}

	private static Connection readOnlySession(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(NodePoolFactory.READ_ONLY_SESSION_SQL);
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

}
