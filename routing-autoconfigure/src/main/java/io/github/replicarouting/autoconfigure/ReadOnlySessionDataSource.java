package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Opens connections whose session is read-only (the flavour's statement), for a pool whose init SQL is the user's own.
 */
final class ReadOnlySessionDataSource extends DelegatingDataSource {

	private final String readOnlySessionSql;

	ReadOnlySessionDataSource(DataSource physicalConnections, String readOnlySessionSql) {
		super(physicalConnections);
		this.readOnlySessionSql = readOnlySessionSql;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return readOnlySession(obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return readOnlySession(obtainTargetDataSource().getConnection(username, password));
	}

	private Connection readOnlySession(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(this.readOnlySessionSql);
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

}
