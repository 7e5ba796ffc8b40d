package io.github.replicarouting;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown when a connection for writes is requested while neither the primary nor any standby is reachable and
 * writable ({@code read_only = 0}). Nothing was sent to any database.
 *
 * @since 0.1.0
 */
public class NoWritablePrimaryException extends DataAccessResourceFailureException {

	/**
	 * Create an exception.
	 * @param candidates each write candidate and its state, e.g. {@code primary is DOWN (connection refused)}
	 */
	public NoWritablePrimaryException(String candidates) {
		this(candidates, "reads are still served by the replicas in rotation");
	}

	/**
	 * Create an exception that also says what happens to reads.
	 * @param candidates each write candidate and its state, e.g. {@code primary is DOWN (connection refused)}
	 * @param reads the state of reads, e.g. {@code reads are still served by replica-1, replica-2}
	 */
	public NoWritablePrimaryException(String candidates, String reads) {
		super("No writable primary: " + candidates + ". Nothing was written. Writes resume as soon as the monitor "
				+ "finds one of them reachable with read_only=0 (make a standby writable for a switchover); " + reads
				+ ".");
	}

}
