package io.github.replicarouting.topology;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Tells a probe query the database does not understand apart from a node that cannot be reached.
 *
 * <p>A node that refuses connections, times out or rejects the account is down. A node that accepted the connection
 * but answers the monitor's MySQL/MariaDB queries with "syntax error", "unknown function" or "unknown variable" is up:
 * it only cannot tell the monitor about read_only or replication.
 */
final class ProbeFailures {

	/**
	 * ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
	 * ER_SPECIFIC_ACCESS_DENIED_ERROR: most carry SQLSTATE 42000 like a syntax error, but they are about the account,
	 * not the database.
	 */
	private static final Set<Integer> ACCESS_DENIED = Set.of(1044, 1045, 1142, 1143, 1227);

	/**
	 * MySQL/MariaDB codes for a statement the server does not support, including those whose SQLSTATE is the
	 * generic HY000: ER_PARSE_ERROR, ER_FUNCTION_NOT_DEFINED, ER_UNKNOWN_SYSTEM_VARIABLE, ER_NOT_SUPPORTED_YET,
	 * ER_SP_DOES_NOT_EXIST ("FUNCTION x does not exist").
	 */
	private static final Set<Integer> UNSUPPORTED = Set.of(1064, 1128, 1193, 1235, 1305);

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
		return ACCESS_DENIED.contains(ex.getErrorCode());
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
				|| (state != null && state.startsWith("42")) || UNSUPPORTED.contains(ex.getErrorCode());
	}

}
