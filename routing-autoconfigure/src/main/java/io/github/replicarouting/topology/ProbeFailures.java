package io.github.replicarouting.topology;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;

import io.github.replicarouting.database.DatabaseFlavours;

/**
 * Tells a probe query the database does not understand apart from a node that cannot be reached.
 *
 * <p>A node that refuses connections, times out or rejects the account is down. A node that accepted the connection
 * but answers the monitor's queries with "syntax error", "unknown function" or "unknown variable" is up: it only cannot
 * tell the monitor about read_only or replication. Vendor error codes come from the
 * {@link io.github.replicarouting.database.DatabaseFlavour flavours}; SQLSTATEs and timeouts are the same everywhere.
 */
final class ProbeFailures {

	private ProbeFailures() {
	}

	/**
	 * Whether {@code ex} says the server rejected the statement itself (SQLSTATE class 42, or a MySQL/MariaDB code
	 * for an unknown function, variable or syntax), rather than the connection or the account.
	 * @param ex what the probe query threw
	 * @return {@code true} when the database does not support the query
	 */
	static boolean isUnsupported(SQLException ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && isUnsupportedStatement(sql)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether {@code ex} says the account may not run the statement.
	 * @param ex what the query threw
	 * @return {@code true} for a MySQL/MariaDB access-denied error
	 */
	static boolean isAccessDenied(SQLException ex) {
		return DatabaseFlavours.isAccessDenied(ex);
	}

	/**
	 * Whether {@code ex} says the node did not answer in time (a socket read or connect that timed out, a query
	 * timeout), as opposed to refusing the connection or breaking it: the sign of a frozen node.
	 * @param ex what the probe threw
	 * @return {@code true} for a timeout
	 */
	static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLTimeoutException || cause instanceof SocketTimeoutException
					|| cause instanceof InterruptedIOException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isUnsupportedStatement(SQLException ex) {
		if (isAccessDenied(ex)) {
			return false;
		}
		String state = ex.getSQLState();
		if (state != null && (state.startsWith("08") || state.startsWith("28") || state.equals("42501"))) {
			// Connection exception, invalid authorization, insufficient privilege: the node or the account.
			return false;
		}
		// Drivers throw SQLSyntaxErrorException for class 42 and for their own unknown-function codes (H2's 90022).
		return ex instanceof SQLSyntaxErrorException || ex instanceof SQLFeatureNotSupportedException
				|| (state != null && state.startsWith("42")) || DatabaseFlavours.isUnsupportedStatement(ex);
	}

}
