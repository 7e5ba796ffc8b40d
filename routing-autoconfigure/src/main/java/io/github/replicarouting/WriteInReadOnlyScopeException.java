package io.github.replicarouting;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Thrown when a statement that writes runs in a read-only scope ({@link ReadOnly}, {@link Routing#onReplica} or
 * {@code @Transactional(readOnly = true)}). The database rejected the statement, so nothing was written.
 *
 * @since 0.1.0
 */
public class WriteInReadOnlyScopeException extends InvalidDataAccessApiUsageException {

	private final String scope;

	/**
	 * Create an exception for a write rejected in the given read-only scope.
	 * @param scope description of the method that opened the read-only scope
	 * @param cause what the database or transaction manager reported
	 */
	public WriteInReadOnlyScopeException(String scope, Throwable cause) {
		super("A write was attempted in the read-only scope of " + scope + " and was rejected; nothing was written. "
				+ "Writes need a read-write transaction on the primary: move the write into a method annotated with "
				+ "@Transactional (without readOnly = true) or @UsePrimary that is called outside the read-only scope, "
				+ "or remove @ReadOnly / readOnly = true from " + scope + ".", cause);
		this.scope = scope;
	}

	/**
	 * The method (or {@link Routing} call) that opened the read-only scope.
	 * @return a description such as {@code EventService.listEvents()}
	 */
	public String getScope() {
		return this.scope;
	}

}
