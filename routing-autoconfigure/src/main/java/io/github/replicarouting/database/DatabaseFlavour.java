package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What differs from one database to another, in one place: the SQL that makes a session read-only, the driver's
 * timeout settings, what the monitor asks a node, how replication positions read and compare, how a read waits for a
 * write, how a commit's position is learned, and which errors mean "read-only" or "node failure".
 *
 * <p>A node holds its flavour ({@code DataSourceNode#getFlavour()}): guessed from its JDBC URL when its pool is built,
 * confirmed from its first connection. The flavours are {@link DatabaseFlavours#MARIADB}, {@link DatabaseFlavours#MYSQL}
 * and {@link DatabaseFlavours#GENERIC}; supporting another database means adding one implementation and listing it in
 * {@link DatabaseFlavours}.
 *
 * @since 0.1.0
 */
public interface DatabaseFlavour {

	/**
	 * The database's name, for messages.
	 * @return the name
	 */
	String name();

	/**
	 * Whether the monitor can ask this database about writability, positions and replication; if not, it only checks
	 * that the node is reachable.
	 * @return {@code true} when {@link #readWriter}, {@link #readReplicaPosition} and {@link #readReplicationStatus} work
	 */
	boolean reportsReplication();

	/**
	 * The statement that makes a session read-only on the server, whatever the account's privileges.
	 * @return the statement, or {@code null} when the database has none (the pool is then only
	 * {@code Connection.setReadOnly})
	 */
	@Nullable String readOnlySessionSql();

	/**
	 * Driver properties that bound how long opening a connection to a frozen node may wait.
	 * @param timeout the node timeout
	 * @return properties for the pool's driver, possibly empty
	 */
	Map<String, String> connectTimeouts(Duration timeout);

	/**
	 * Driver properties for the monitor's own connections: connect and socket timeouts.
	 * @param timeout the node timeout
	 * @return properties for the driver, possibly empty
	 */
	Map<String, String> probeTimeouts(Duration timeout);

	/**
	 * Ask a primary or standby whether it takes writes, and its position.
	 * @param connection the monitor's connection
	 * @return what it said
	 * @throws SQLException if the node cannot answer
	 */
	WriterReading readWriter(Connection connection) throws SQLException;

	/**
	 * Ask a replica for the position it has applied.
	 * @param connection the monitor's connection
	 * @return the position as the server prints it, possibly {@code null}
	 * @throws SQLException if the node cannot answer
	 */
	@Nullable String readReplicaPosition(Connection connection) throws SQLException;

	/**
	 * Ask a replica for its replication status (needs a privilege some accounts lack).
	 * @param connection the monitor's connection
	 * @return the status; not running with unknown lag when the node does not replicate
	 * @throws SQLException if the node cannot answer, or the account may not ask
	 */
	ReplicationStatus readReplicationStatus(Connection connection) throws SQLException;

	/**
	 * Parse a position printed by this database.
	 * @param text the position
	 * @return the position
	 * @throws IllegalArgumentException if it cannot be read
	 */
	GtidPosition parsePosition(@Nullable String text);

	/**
	 * The query that returns, on the writer's connection right after a commit, a position that includes it.
	 * @return the query, or {@code null} when the database has no positions
	 */
	@Nullable String lastWriteQuery();

	/**
	 * The position a read must wait for to see the write just committed, from the row {@link #lastWriteQuery()}
	 * returned.
	 * @param row the query's row
	 * @return the position, or {@code null} if there is none or it cannot be read
	 * @throws SQLException if the row cannot be read
	 */
	@Nullable String lastWrite(ResultSet row) throws SQLException;

	/**
	 * Driver properties for the pools of nodes taking writes, so that {@link #positionOfCommit} can read a commit's
	 * position from the server's reply to it (session state tracking) instead of asking.
	 * @param mySqlConnectorJ whether the pool's driver is MySQL Connector/J, the one driver that exposes that state
	 * @return properties for the pool's driver, possibly empty
	 */
	default Map<String, String> commitTrackingProperties(boolean mySqlConnectorJ) {
		return Map.of();
	}

	/**
	 * The position of the write just committed on the writer's connection: by default {@link #lastWriteQuery()}, one
	 * round trip; flavours whose driver kept it from the commit's reply answer without one.
	 * @param writer the writer's connection, right after the commit
	 * @return the position, or {@code null} when not known
	 * @throws SQLException if it cannot be asked
	 */
	default @Nullable String positionOfCommit(Connection writer) throws SQLException {
		String query = lastWriteQuery();
		if (query == null) {
			return null;
		}
		try (java.sql.Statement statement = writer.createStatement(); ResultSet result = statement.executeQuery(query)) {
			return result.next() ? lastWrite(result) : null;
		}
	}

	/**
	 * The query that waits on a replica until it has applied a position: parameters are the position and the timeout
	 * in (fractional) seconds; it returns 0 when applied.
	 * @return the query, or {@code null} when the database cannot wait
	 */
	@Nullable String waitQuery();

	/**
	 * Whether the database (or its driver) refused a write because the session or server is read-only.
	 * @param ex a JDBC error
	 * @return {@code true} for a refused write
	 */
	boolean isReadOnlyViolation(SQLException ex);

	/**
	 * Whether the error code says the database does not know the statement (syntax, unknown function or variable),
	 * beyond the SQLSTATE classes every database shares.
	 * @param ex a JDBC error
	 * @return {@code true} for an unsupported statement
	 */
	boolean isUnsupportedStatement(SQLException ex);

	/**
	 * Whether the error says the account may not run the statement.
	 * @param ex a JDBC error
	 * @return {@code true} for access denied
	 */
	boolean isAccessDenied(SQLException ex);

	/**
	 * Whether a driver-specific exception type says the connection to the node broke.
	 * @param ex a throwable in a failure's cause chain
	 * @return {@code true} for a broken connection
	 */
	boolean isConnectionFailure(Throwable ex);

	/**
	 * What a primary or standby said about itself.
	 * @param writable whether it takes writes
	 * @param position its position as the server prints it, possibly {@code null}
	 */
	record WriterReading(boolean writable, @Nullable String position) {
	}

	/**
	 * A replica's replication status.
	 * @param sqlThreadRunning whether it applies what it receives
	 * @param secondsBehind what it says of its own lag, {@code null} if unknown
	 */
	record ReplicationStatus(boolean sqlThreadRunning, @Nullable Long secondsBehind) {
	}

	/**
	 * The replicas attached to this writer, as it lists them, for discovery. They are listed with the address they
	 * report ({@code report_host}/{@code report_port}); the account needs the privilege to list them
	 * ({@code REPLICATION MASTER ADMIN} on MariaDB 10.5.2 and later, {@code REPLICATION SLAVE} on MySQL).
	 * @param writer a connection to the writer
	 * @return the attached replicas, possibly empty
	 * @throws SQLException if the writer cannot be asked; {@link java.sql.SQLFeatureNotSupportedException} on a
	 * database this flavour cannot ask
	 */
	default java.util.List<AttachedReplica> readAttachedReplicas(Connection writer) throws SQLException {
		throw new java.sql.SQLFeatureNotSupportedException(name() + " cannot be asked which replicas are attached");
	}

}
