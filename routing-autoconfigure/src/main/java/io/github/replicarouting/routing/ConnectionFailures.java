package io.github.replicarouting.routing;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import io.github.replicarouting.database.DatabaseFlavours;

/**
 * Tells a broken or unreachable node apart from other failures, such as a pool that is only busy.
 *
 * @since 0.1.0
 */
public final class ConnectionFailures {

	private ConnectionFailures() {
	}

	/**
	 * Whether {@code ex} says the node could not be reached or the connection to it broke. A pool timeout without an
	 * underlying connection error (every connection busy) is not a node failure.
	 * @param ex the exception
	 * @return {@code true} for a node failure
	 */
	public static boolean isNodeFailure(Throwable ex) {
		boolean database = false;
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLTransientConnectionException && cause.getCause() == null
					&& !isConnectionSqlState((SQLException) cause)) {
				// Hikari's "request timed out" with no connection error behind it: the pool is busy, the node is fine.
				continue;
			}
			if (cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
				return true;
			}
			// An I/O error counts only behind a JDBC error: an HTTP client's, say, says nothing about a database.
			if (database && cause instanceof IOException) {
				return true;
			}
			if (cause instanceof SQLException sql && (isConnectionSqlState(sql) || isClosedByPool(sql))) {
				return true;
			}
			database |= cause instanceof SQLException;
			if (DatabaseFlavours.isConnectionFailure(cause)
					|| cause.getClass().getName().endsWith("PoolInitializationException")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Hikari closes a borrowed connection only when it saw it break (or when it was aborted), then answers every call
	 * with "Connection is closed": the rollback after a failed statement, say, which then hides the statement's own
	 * connection error.
	 */
	private static boolean isClosedByPool(SQLException ex) {
		StackTraceElement[] trace = ex.getStackTrace();
		return ex.getSQLState() == null && "Connection is closed".equals(ex.getMessage()) && trace.length > 0
				&& trace[0].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection");
	}

	private static boolean isConnectionSqlState(SQLException ex) {
		// SQLSTATE class 08: connection exception.
		return ex.getSQLState() != null && ex.getSQLState().startsWith("08");
	}

}
