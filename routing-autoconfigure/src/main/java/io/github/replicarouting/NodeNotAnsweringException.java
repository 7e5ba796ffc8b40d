package io.github.replicarouting;

import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown when the node a method was using stopped answering (a frozen process, a network partition, a paused VM:
 * the server accepts connections and answers nothing): the monitor got no reply from it within
 * {@code failover-timeout}, took it out of rotation and aborted the connections that were waiting on it.
 *
 * <p>For a read it is safe to run the call again: the node is out of rotation, so the next run goes elsewhere
 * ({@code routing.datasource.retry-failed-reads} does it for read-only methods). For a write the outcome is
 * <em>unknown</em>: the statement or the commit may have reached the server before it stopped, and will then take
 * effect when it answers again. The library never retries it; {@link #isWriteOutcomeUnknown()} says which case this
 * is.
 *
 * @since 0.1.0
 */
public class NodeNotAnsweringException extends DataAccessResourceFailureException {

	private final String node;

	private final boolean writeOutcomeUnknown;

	/**
	 * Create an exception.
	 * @param node the node that stopped answering
	 * @param waited how long the monitor waited for its reply
	 * @param readOnly whether the failed method was read-only (else its writes' outcome is unknown)
	 * @param cause the failure of the aborted connection
	 */
	public NodeNotAnsweringException(String node, Duration waited, boolean readOnly, Throwable cause) {
		super(message(node, waited, readOnly), cause);
		this.node = node;
		this.writeOutcomeUnknown = !readOnly;
	}

	private static String message(String node, Duration waited, boolean readOnly) {
		String what = "Node '" + node + "' stopped answering (no reply to the monitor within " + waited.toMillis()
				+ " ms): it is out of rotation and the connection this call was using was aborted. ";
		if (readOnly) {
			return what + "Nothing was written; running the read again goes to another node (set "
					+ "routing.datasource.retry-failed-reads=true to have read-only methods run again automatically).";
		}
		return what + "The outcome of this call's writes is unknown: a statement or commit the node received before it "
				+ "stopped takes effect when it answers again. The library does not retry writes: check what was "
				+ "written before running it again.";
	}

	/**
	 * The node that stopped answering.
	 * @return the node name
	 */
	public String getNode() {
		return this.node;
	}

	/**
	 * Whether the failed call may have written: {@code true} unless it ran in a read-only scope.
	 * @return {@code true} when the outcome of its writes is unknown
	 */
	public boolean isWriteOutcomeUnknown() {
		return this.writeOutcomeUnknown;
	}

}
