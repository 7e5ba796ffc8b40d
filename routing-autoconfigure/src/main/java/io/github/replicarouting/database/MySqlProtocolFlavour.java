package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What MariaDB and MySQL share: the wire protocol's error codes, {@code SET SESSION TRANSACTION READ ONLY}, the
 * drivers' timeout properties and the shape of the monitor's queries.
 */
abstract class MySqlProtocolFlavour implements DatabaseFlavour {

	static final String READ_ONLY_SESSION_SQL = "SET SESSION TRANSACTION READ ONLY";

	/**
	 * 1290 ER_OPTION_PREVENTS_STATEMENT (server {@code read_only}), 1792 ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
	 * (session read-only), 1836 ER_READ_ONLY_MODE.
	 */
	private static final Set<Integer> READ_ONLY_ERROR_CODES = Set.of(1290, 1792, 1836);

	/**
	 * ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
	 * ER_SPECIFIC_ACCESS_DENIED_ERROR: most carry SQLSTATE 42000 like a syntax error, but they are about the account,
	 * not the database.
	 */
	private static final Set<Integer> ACCESS_DENIED = Set.of(1044, 1045, 1142, 1143, 1227);

	/**
	 * Codes for a statement the server does not support, including those whose SQLSTATE is the generic HY000:
	 * ER_PARSE_ERROR, ER_FUNCTION_NOT_DEFINED, ER_UNKNOWN_SYSTEM_VARIABLE, ER_NOT_SUPPORTED_YET, ER_SP_DOES_NOT_EXIST
	 * ("FUNCTION x does not exist").
	 */
	private static final Set<Integer> UNSUPPORTED = Set.of(1064, 1128, 1193, 1235, 1305);

	private final String writerPositionVariable;

	private final String replicaPositionVariable;

	private final String statusQuery;

	private final String sqlRunningColumn;

	private final String behindColumn;

	private final String attachedReplicasQuery;

	MySqlProtocolFlavour(String writerPositionVariable, String replicaPositionVariable, String statusQuery,
			String sqlRunningColumn, String behindColumn, String attachedReplicasQuery) {
		this.attachedReplicasQuery = attachedReplicasQuery;
		this.writerPositionVariable = writerPositionVariable;
		this.replicaPositionVariable = replicaPositionVariable;
		this.statusQuery = statusQuery;
		this.sqlRunningColumn = sqlRunningColumn;
		this.behindColumn = behindColumn;
	}

	@Override
	public boolean reportsReplication() {
		return true;
	}

	/**
	 * {@code Connection.setReadOnly} reaches the server with MySQL Connector/J but not with MariaDB Connector/J, and
	 * {@code read_only=1} does not stop SUPER: the session is made read-only explicitly, for either driver.
	 */
	@Override
	public String readOnlySessionSql() {
		return READ_ONLY_SESSION_SQL;
	}

	/** Understood by both MySQL Connector/J and MariaDB Connector/J, in milliseconds. */
	@Override
	public Map<String, String> connectTimeouts(Duration timeout) {
		return Map.of("connectTimeout", Long.toString(timeout.toMillis()));
	}

	@Override
	public Map<String, String> probeTimeouts(Duration timeout) {
		String millis = Long.toString(timeout.toMillis());
		return Map.of("connectTimeout", millis, "socketTimeout", millis);
	}

	/**
	 * Only MySQL Connector/J exposes the session state; MariaDB Connector/J reads a few variables it needs and keeps
	 * none for the application, so its commits' positions are asked.
	 */
	@Override
	public Map<String, String> commitTrackingProperties(boolean mySqlConnectorJ) {
		return mySqlConnectorJ ? ConnectorJSessionState.WRITER_PROPERTIES : Map.of();
	}

	/**
	 * The GTID the commit's reply carried, else (another driver, tracking off, or a commit that wrote nothing) the
	 * query, as before: a position the reply did not carry is never guessed.
	 */
	@Override
	public @Nullable String positionOfCommit(Connection writer) throws SQLException {
		String tracked = trackedPositionOfCommit(writer);
		if (tracked != null && !tracked.isBlank()) {
			try {
				parsePosition(tracked);
				return tracked;
			}
			catch (IllegalArgumentException ex) {
				// Not a position this version can compare: ask, as without tracking.
			}
		}
		return DatabaseFlavour.super.positionOfCommit(writer);
	}

	/**
	 * The commit's position as the writer's driver kept it from the server's reply to the commit.
	 * @param writer the writer's connection, right after the commit
	 * @return the position, or {@code null} if the driver kept none
	 */
	abstract @Nullable String trackedPositionOfCommit(Connection writer);

	@Override
	public WriterReading readWriter(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT @@global.read_only, " + this.writerPositionVariable)) {
			result.next();
			return new WriterReading(result.getInt(1) == 0, result.getString(2));
		}
	}

	@Override
	public @Nullable String readReplicaPosition(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT " + this.replicaPositionVariable)) {
			result.next();
			return result.getString(1);
		}
	}

	@Override
	public ReplicationStatus readReplicationStatus(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(this.statusQuery)) {
			if (!result.next()) {
				return new ReplicationStatus(false, null);
			}
			String sqlRunning = result.getString(this.sqlRunningColumn);
			long behind = result.getLong(this.behindColumn);
			Long secondsBehind = result.wasNull() ? null : behind;
			return new ReplicationStatus("Yes".equalsIgnoreCase(sqlRunning), secondsBehind);
		}
	}

	@Override
	public boolean isReadOnlyViolation(SQLException ex) {
		return READ_ONLY_ERROR_CODES.contains(ex.getErrorCode());
	}

	@Override
	public boolean isUnsupportedStatement(SQLException ex) {
		return UNSUPPORTED.contains(ex.getErrorCode());
	}

	@Override
	public boolean isAccessDenied(SQLException ex) {
		return ACCESS_DENIED.contains(ex.getErrorCode());
	}

	/** MySQL Connector/J's {@code CommunicationsException} (also thrown by it against MariaDB). */
	@Override
	public boolean isConnectionFailure(Throwable ex) {
		return ex.getClass().getName().endsWith("CommunicationsException");
	}

	/**
	 * Both list {@code Server_id} (MySQL 8.0.22+: {@code Server_Id}), {@code Host} and {@code Port}; column labels are
	 * matched without regard to case.
	 */
	@Override
	public java.util.List<AttachedReplica> readAttachedReplicas(Connection writer) throws SQLException {
		java.util.List<AttachedReplica> replicas = new java.util.ArrayList<>();
		try (Statement statement = writer.createStatement();
				ResultSet result = statement.executeQuery(this.attachedReplicasQuery)) {
			while (result.next()) {
				String host = result.getString("Host");
				replicas.add(new AttachedReplica(result.getLong("Server_id"), (host != null) ? host.trim() : "",
						result.getInt("Port")));
			}
		}
		return replicas;
	}

	/**
	 * The statement that lists the replicas attached to a writer.
	 * @return the statement
	 */
	String attachedReplicasQuery() {
		return this.attachedReplicasQuery;
	}

	@Override
	public String toString() {
		return name();
	}

}
