package io.github.replicarouting;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown when a read must go to a replica, none is in rotation, and {@code routing.datasource.fallback-to-primary} is
 * {@code false}. The message names every replica and why it is out.
 *
 * @since 0.1.0
 */
public class NoReplicaAvailableException extends DataAccessResourceFailureException {

	/**
	 * Create an exception.
	 * @param replicas each replica and why it is out, e.g. {@code replica-1 is DOWN (connection refused)}
	 * @param cause the last connection failure, if any
	 */
	public NoReplicaAvailableException(String replicas, Throwable cause) {
		super(message(replicas), cause);
	}

	/**
	 * Create an exception.
	 * @param replicas each replica and why it is out
	 */
	public NoReplicaAvailableException(String replicas) {
		super(message(replicas));
	}

	private static String message(String replicas) {
		return "No replica can serve this read and routing.datasource.fallback-to-primary is false: " + replicas
				+ ". Reads resume as soon as the monitor finds a replica back in rotation; set "
				+ "routing.datasource.fallback-to-primary=true to read from the primary meanwhile.";
	}

}
