package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * How the caller asked for its connection: with the pool's own credentials, or with a user name and password; the
 * same request is repeated on each node the router tries.
 */
@FunctionalInterface
interface ConnectionOpener {

	/** Asks the pool for a connection with its own credentials. */
	ConnectionOpener DEFAULT_CREDENTIALS = DataSource::getConnection;

	Connection open(DataSource pool) throws SQLException;

	/**
	 * {@code getConnection(username, password)}, repeated on every node tried.
	 */
	record Credentials(String username, String password) implements ConnectionOpener {

		@Override
		public Connection open(DataSource pool) throws SQLException {
			return pool.getConnection(this.username, this.password);
		}

		@Override
		public String toString() {
			return "Credentials[username=" + this.username + ", password=******]";
		}

	}

}
