package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Any other JDBC database: only standard JDBC and SQLSTATEs. Nodes are checked for reachability only, pools are
 * read-only through {@code Connection.setReadOnly}, and reads after writes are sticky (no positions).
 */
final class GenericJdbcFlavour implements DatabaseFlavour {

	/** SQLSTATE for "read-only SQL transaction". */
	private static final String READ_ONLY_SQL_STATE = "25006";

	@Override
	public String name() {
		return "generic JDBC";
	}

	@Override
	public boolean reportsReplication() {
		return false;
	}

	@Override
	public @Nullable String readOnlySessionSql() {
		return null;
	}

	/** Other drivers read these names differently (PostgreSQL: seconds), so they keep their defaults. */
	@Override
	public Map<String, String> connectTimeouts(Duration timeout) {
		return Map.of();
	}

	@Override
	public Map<String, String> probeTimeouts(Duration timeout) {
		return Map.of();
	}

	@Override
	public WriterReading readWriter(Connection connection) throws SQLException {
		throw notSupported();
	}

	@Override
	public @Nullable String readReplicaPosition(Connection connection) throws SQLException {
		throw notSupported();
	}

	@Override
	public ReplicationStatus readReplicationStatus(Connection connection) throws SQLException {
		throw notSupported();
	}

	private static SQLFeatureNotSupportedException notSupported() {
		return new SQLFeatureNotSupportedException("No replication queries for this database");
	}

	@Override
	public GtidPosition parsePosition(@Nullable String text) {
		throw new IllegalArgumentException("No GTID positions on this database: '" + text + "'");
	}

	@Override
	public @Nullable String lastWriteQuery() {
		return null;
	}

	@Override
	public @Nullable String lastWrite(ResultSet row) {
		return null;
	}

	@Override
	public @Nullable String waitQuery() {
		return null;
	}

	@Override
	public boolean isReadOnlyViolation(SQLException ex) {
		return READ_ONLY_SQL_STATE.equals(ex.getSQLState());
	}

	@Override
	public boolean isUnsupportedStatement(SQLException ex) {
		return false;
	}

	@Override
	public boolean isAccessDenied(SQLException ex) {
		return false;
	}

	@Override
	public boolean isConnectionFailure(Throwable ex) {
		return false;
	}

	@Override
	public String toString() {
		return name();
	}

}
