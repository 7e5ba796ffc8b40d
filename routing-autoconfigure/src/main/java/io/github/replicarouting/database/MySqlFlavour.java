package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * MySQL 8: {@code uuid:n} GTID sets (tagged since 8.3), {@code WAIT_FOR_EXECUTED_GTID_SET},
 * {@code SHOW REPLICA STATUS}. A commit's position is its own GTID when the session tracks it
 * ({@code session_track_gtids=OWN_GTID}, MySQL Connector/J); else the writer's own intervals of its executed set
 * ({@code @@server_uuid}'s, which include the write), not the whole set with every server that ever wrote.
 */
final class MySqlFlavour extends MySqlProtocolFlavour {

	/** MySQL Connector/J refuses DML on a read-only connection itself, before the server sees it. */
	private static final String CONNECTOR_J_READ_ONLY_MESSAGE = "Connection is read-only";

	MySqlFlavour() {
		super("@@global.gtid_executed", "@@global.gtid_executed", "SHOW REPLICA STATUS", "Replica_SQL_Running",
				"Seconds_Behind_Source", "SHOW REPLICAS");
	}

	@Override
	public String name() {
		return "MySQL";
	}

	@Override
	public GtidPosition parsePosition(@Nullable String text) {
		return GtidPosition.parseMySql(text);
	}

	@Override
	public String lastWriteQuery() {
		return "SELECT @@global.gtid_executed, @@global.server_uuid";
	}

	/**
	 * The writer's own part of its executed set (the whole set when the writer's UUID is not in it, as with Group
	 * Replication, which names GTIDs after the group).
	 */
	@Override
	public @Nullable String lastWrite(ResultSet row) throws SQLException {
		String position = row.getString(1);
		if (position == null || position.isBlank()) {
			return position;
		}
		String serverUuid = row.getString(2);
		try {
			GtidPosition own = (serverUuid != null) ? GtidPosition.parseMySql(position).restrictTo(serverUuid)
					: GtidPosition.EMPTY;
			return own.isEmpty() ? position : own.toString();
		}
		catch (IllegalArgumentException ex) {
			// A set this version cannot read could not be compared later either.
			return null;
		}
	}

	/** MySQL tracks the GTIDs the session's transaction was given ({@code session_track_gtids=OWN_GTID}). */
	@Override
	@Nullable String trackedPositionOfCommit(Connection writer) {
		return ConnectorJSessionState.gtids(writer);
	}

	@Override
	public String waitQuery() {
		return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
	}

	@Override
	public boolean isReadOnlyViolation(SQLException ex) {
		return super.isReadOnlyViolation(ex)
				|| (ex.getMessage() != null && ex.getMessage().startsWith(CONNECTOR_J_READ_ONLY_MESSAGE));
	}

}
