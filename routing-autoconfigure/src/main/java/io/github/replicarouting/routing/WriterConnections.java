package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.github.replicarouting.NoWritablePrimaryException;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Connections to the writer (whichever node takes writes now, the configured primary or a standby after a failover):
 * read-write ones, whose commits read-your-writes records, and read-only sessions for reads the replicas cannot serve.
 */
final class WriterConnections {

	private final Topology topology;

	private final ReadYourWrites readYourWrites;

	private final RoutingDecisions decisions;

	private final RoutingFailures failures;

	WriterConnections(Topology topology, ReadYourWrites readYourWrites, RoutingDecisions decisions,
			RoutingFailures failures) {
		this.topology = topology;
		this.readYourWrites = readYourWrites;
		this.decisions = decisions;
		this.failures = failures;
	}

	/**
	 * A read-write connection to the writer.
	 * @param opener how the caller asked for it
	 * @param why why it goes to the writer, for the listeners
	 * @return the connection, recording its commits if read-your-writes is on
	 * @throws NoWritablePrimaryException if no node takes writes now
	 * @throws SQLException if the writer's pool could not give one
	 */
	Connection readWrite(ConnectionOpener opener, RoutingReason why) throws SQLException {
		DataSourceNode writer = this.topology.writer();
		if (writer == null) {
			this.failures.writerMissing();
			throw new NoWritablePrimaryException(RoutingMessages.describe(this.topology, false),
					RoutingMessages.describeReads(this.topology));
		}
		Connection connection = this.failures.open(writer, writer.getDataSource(), opener);
		this.failures.connected(writer, true);
		this.decisions.connected(writer, Route.PRIMARY, why);
		return this.readYourWrites.trackCommits(connection, writer);
	}

	/**
	 * A read on the writer, in one of its read-only sessions.
	 * @param opener how the caller asked for it
	 * @param why why the read goes to the writer, for the listeners
	 * @param replicaFailure why the last replica tried could not serve it, if one was tried
	 * @return the connection
	 * @throws NoWritablePrimaryException if no node takes writes now
	 * @throws SQLException if the writer's pool could not give one
	 */
	Connection readOnly(ConnectionOpener opener, RoutingReason why, @Nullable Exception replicaFailure)
			throws SQLException {
		DataSourceNode writer = this.topology.writer();
		if (writer == null) {
			this.failures.writerMissing();
			NoWritablePrimaryException ex = new NoWritablePrimaryException(
					RoutingMessages.describe(this.topology, false), RoutingMessages.readNeededWriter(this.topology));
			if (replicaFailure != null) {
				ex.addSuppressed(replicaFailure);
			}
			throw ex;
		}
		DataSource readOnlySessions = writer.getReadOnlyDataSource();
		Connection connection = this.failures.open(writer,
				(readOnlySessions != null) ? readOnlySessions : writer.getDataSource(), opener);
		if (readOnlySessions == null) {
			// Still a read-only scope: keep writes out as far as the driver can (the pool resets the flag on return).
			connection.setReadOnly(true);
		}
		this.failures.connected(writer, readOnlySessions == null);
		this.decisions.connected(writer, Route.PRIMARY, why);
		return connection;
	}

}
