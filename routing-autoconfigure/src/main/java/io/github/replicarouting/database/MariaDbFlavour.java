package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * MariaDB: {@code domain-server-sequence} GTIDs, {@code @@last_gtid}, {@code MASTER_GTID_WAIT},
 * {@code SHOW SLAVE STATUS}.
 */
final class MariaDbFlavour extends MySqlProtocolFlavour {

	MariaDbFlavour() {
		super("@@global.gtid_binlog_pos", "@@global.gtid_slave_pos", "SHOW SLAVE STATUS", "Slave_SQL_Running",
				"Seconds_Behind_Master", "SHOW SLAVE HOSTS");
	}

	@Override
	public String name() {
		return "MariaDB";
	}

	@Override
	public GtidPosition parsePosition(@Nullable String text) {
		return GtidPosition.parseMariaDb(text);
	}

	@Override
	public String lastWriteQuery() {
		return "SELECT @@last_gtid";
	}

	@Override
	public @Nullable String lastWrite(ResultSet row) throws SQLException {
		return row.getString(1);
	}

	/** MariaDB tracks the commit's GTID as a change of {@code last_gtid}. */
	@Override
	@Nullable String trackedPositionOfCommit(Connection writer) {
		return ConnectorJSessionState.systemVariable(writer, "last_gtid");
	}

	@Override
	public String waitQuery() {
		return "SELECT MASTER_GTID_WAIT(?, ?)";
	}

}
