package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * The one way from the routing layer to the {@link Topology}: {@link RoutingDataSource} (a pool that could not give a
 * connection, no writer) and {@link RoutingAnnotationInterceptor} (a scope that failed after its connection was handed
 * out) report here, and only this class calls {@link Topology#reportConnectionFailure} and
 * {@link Topology#requestWriterCheck}. It also records, in {@link ScopeConnections}, which node each handed-out
 * connection came from, which is what it needs to know when a scope fails.
 */
final class RoutingFailures {

	private final Supplier<@Nullable Topology> topology;

	/**
	 * Report to a topology that may not exist yet (the interceptor is created before the data source).
	 * @param topology the topology, or {@code null} while there is none
	 */
	RoutingFailures(Supplier<@Nullable Topology> topology) {
		this.topology = topology;
	}

	/**
	 * Ask {@code pool} of {@code node} for a connection; a node failure takes the node out of rotation at once.
	 * @param node the node
	 * @param pool one of its pools
	 * @param opener how the caller asked for the connection
	 * @return the connection
	 * @throws SQLException what the pool threw
	 */
	Connection open(DataSourceNode node, DataSource pool, ConnectionOpener opener) throws SQLException {
		try {
			return opener.open(pool);
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectionFailures.isNodeFailure(ex)) {
				reportConnectionFailure(node, ex);
			}
			throw ex;
		}
	}

	/**
	 * A connection from {@code node} is handed out in the open scopes.
	 * @param node the node
	 * @param readWrite whether it is a read-write connection to a writer
	 */
	void connected(DataSourceNode node, boolean readWrite) {
		ScopeConnections.connected(node, readWrite);
	}

	/**
	 * A write needed a writer and there is none, or the writer refused a write (it was made read-only): ask the
	 * monitor to look for the writer now, so that writes resume as soon as one shows up, not an interval later.
	 */
	void writerMissing() {
		Topology topology = this.topology.get();
		if (topology != null) {
			topology.requestWriterCheck();
		}
	}

	/**
	 * A read-only scope failed with {@code failure}. If its connections all came from one replica and the failure
	 * says the node broke, only that replica's connection can have broken: take it out of rotation without waiting
	 * for the monitor, so that the next reads are not handed its other connections.
	 * @param failure what the scope threw
	 */
	void readOnlyScopeFailed(Throwable failure) {
		Topology topology = this.topology.get();
		DataSourceNode replica = ScopeConnections.soleNode();
		if (topology != null && replica != null && replica.getRole() == NodeRole.REPLICA
				&& ConnectionFailures.isNodeFailure(failure)) {
			topology.reportConnectionFailure(replica, failure);
		}
	}

	/**
	 * The node the failed scope used, if it used one only and the monitor found it not answering.
	 * @param failure what the scope threw
	 * @return the node and for how long it has not answered, or {@code null}
	 */
	@Nullable NotAnswering notAnswering(Throwable failure) {
		Topology topology = this.topology.get();
		DataSourceNode node = ScopeConnections.soleNode();
		if (topology == null || node == null || !ConnectionFailures.isNodeFailure(failure)) {
			return null;
		}
		Duration waited = topology.notAnsweringFor(node);
		return (waited != null) ? new NotAnswering(node, waited) : null;
	}

	/**
	 * Whether the failed scope (or one nested in it) took a read-write connection, so that running it again could
	 * repeat a write.
	 * @return {@code true} if it may have written
	 */
	boolean scopeMayHaveWritten() {
		return ScopeConnections.mayHaveWritten();
	}

	/**
	 * How many times a read-only method whose connection broke may run again: once per replica, because each broken
	 * connection takes its replica out of rotation.
	 * @return at least 1
	 */
	int readRetries() {
		Topology topology = this.topology.get();
		return (topology != null) ? Math.max(1, topology.getReplicas().size()) : 1;
	}

	private void reportConnectionFailure(DataSourceNode node, Throwable failure) {
		Topology topology = this.topology.get();
		if (topology != null) {
			topology.reportConnectionFailure(node, failure);
		}
	}

	/**
	 * A node the monitor found not answering.
	 * @param node the node
	 * @param waited how long it has not answered
	 */
	record NotAnswering(DataSourceNode node, Duration waited) {
	}

}
