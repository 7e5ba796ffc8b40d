package io.github.replicarouting.routing;

import java.sql.SQLException;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.database.DatabaseFlavours;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Recognises the ways a write in a read-only scope is rejected (by the database, as its
 * {@link io.github.replicarouting.database.DatabaseFlavour flavour} says, or by Spring's transaction manager) and turns
 * them into one {@link WriteInReadOnlyScopeException} that names the scope.
 *
 * @since 0.1.0
 */
public final class ReadOnlyViolations {

	private ReadOnlyViolations() {
	}

	/**
	 * Return {@link WriteInReadOnlyScopeException} when {@code ex} reports a write rejected because of read-only mode,
	 * {@code ex} itself otherwise.
	 * @param ex what the scope threw
	 * @param scope the method (or call) that opened the read-only scope
	 * @return the exception to throw
	 */
	public static RuntimeException translate(RuntimeException ex, String scope) {
		if (ex instanceof UnnamedScopeViolation unnamed) {
			// Reported where the write failed: the method that opened the read-only scope names it now.
			return new WriteInReadOnlyScopeException(scope, unnamed.getCause());
		}
		if (ex instanceof WriteInReadOnlyScopeException || !isReadOnlyViolation(ex)) {
			return ex;
		}
		return new WriteInReadOnlyScopeException(scope, ex);
	}

	/**
	 * Return {@link WriteInReadOnlyScopeException} when {@code ex} reports a write rejected because of read-only mode
	 * and the current thread is in a read-only scope or a read-only transaction, {@code null} otherwise. For the
	 * places where a persistence provider's exceptions are translated, which also see writes in read-only
	 * transactions that no routing annotation opened ({@code TransactionTemplate}); a routing annotation around it
	 * still gives its own name to the scope.
	 * @param ex the exception
	 * @return the exception to throw, or {@code null}
	 */
	public static @Nullable WriteInReadOnlyScopeException translateInReadOnlyScope(RuntimeException ex) {
		if (ex instanceof WriteInReadOnlyScopeException || !isReadOnlyViolation(ex)) {
			return null;
		}
		boolean readOnlyTransaction = TransactionSynchronizationManager.isCurrentTransactionReadOnly();
		if (!readOnlyTransaction && RoutingContext.currentRoute() != Route.REPLICA
				&& !RoutingContext.isReadOnlyScope()) {
			return null;
		}
		String transaction = TransactionSynchronizationManager.getCurrentTransactionName();
		String scope = (readOnlyTransaction && transaction != null) ? transaction
				: (readOnlyTransaction || RoutingContext.currentOrigin() == null) ? "a read-only transaction"
						: RoutingContext.currentOrigin();
		return new UnnamedScopeViolation(scope, ex);
	}

	/**
	 * Whether {@code ex}, or one of its causes, says a write was rejected because of read-only mode.
	 * @param ex the exception
	 * @return {@code true} for a rejected write
	 */
	public static boolean isReadOnlyViolation(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && DatabaseFlavours.isReadOnlyViolation(sql)) {
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

	/**
	 * A violation reported by the persistence provider's translation, before any routing annotation named its scope.
	 */
	@SuppressWarnings("serial")
	private static final class UnnamedScopeViolation extends WriteInReadOnlyScopeException {

		UnnamedScopeViolation(String scope, Throwable cause) {
			super(scope, cause);
		}

	}

}
