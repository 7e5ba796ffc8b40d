package io.github.replicarouting.routing;

import java.sql.SQLException;
import java.util.Set;

import io.github.replicarouting.WriteInReadOnlyScopeException;

import org.springframework.transaction.IllegalTransactionStateException;

/**
 * Recognises the ways a write in a read-only scope is rejected (by MySQL/MariaDB or by Spring's transaction manager)
 * and turns them into one {@link WriteInReadOnlyScopeException} that names the scope.
 *
 * @since 0.1.0
 */
public final class ReadOnlyViolations {

	/**
	 * MySQL/MariaDB error codes: 1290 ER_OPTION_PREVENTS_STATEMENT (server {@code read_only}), 1792
	 * ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION (session read-only), 1836 ER_READ_ONLY_MODE.
	 */
	private static final Set<Integer> READ_ONLY_ERROR_CODES = Set.of(1290, 1792, 1836);

	/** SQLSTATE for "read-only SQL transaction". */
	private static final String READ_ONLY_SQL_STATE = "25006";

	/** MySQL Connector/J refuses DML on a read-only connection itself, before the server sees it. */
	private static final String CONNECTOR_J_READ_ONLY_MESSAGE = "Connection is read-only";

	private ReadOnlyViolations() {
	}

	private static boolean isClientSideReadOnlyCheck(SQLException ex) {
		return ex.getMessage() != null && ex.getMessage().startsWith(CONNECTOR_J_READ_ONLY_MESSAGE);
	}

	/**
	 * Return {@link WriteInReadOnlyScopeException} when {@code ex} reports a write rejected because of read-only mode,
	 * {@code ex} itself otherwise.
	 * @param ex what the scope threw
	 * @param scope the method (or call) that opened the read-only scope
	 * @return the exception to throw
	 */
	public static RuntimeException translate(RuntimeException ex, String scope) {
		if (ex instanceof WriteInReadOnlyScopeException || !isReadOnlyViolation(ex)) {
			return ex;
		}
		return new WriteInReadOnlyScopeException(scope, ex);
	}

	/**
	 * Whether {@code ex}, or one of its causes, says a write was rejected because of read-only mode.
	 * @param ex the exception
	 * @return {@code true} for a rejected write
	 */
	public static boolean isReadOnlyViolation(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && (READ_ONLY_ERROR_CODES.contains(sql.getErrorCode())
					|| READ_ONLY_SQL_STATE.equals(sql.getSQLState()) || isClientSideReadOnlyCheck(sql))) {
				return true;
			}
			if (cause instanceof IllegalTransactionStateException && cause.getMessage() != null
					&& cause.getMessage().contains("existing transaction is")) {
				// AbstractPlatformTransactionManager with validateExistingTransaction: a read-write
				// participant tried to join a read-only transaction.
				return true;
			}
		}
		return false;
	}

}
