package io.github.replicarouting.consistency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import io.github.replicarouting.topology.GtidPosition;
import org.jspecify.annotations.Nullable;

/**
 * The GTID flavour of a server: how to read the GTID of a session's last write, how to wait for a GTID on a replica,
 * and how to read positions.
 *
 * @since 0.1.0
 */
public enum GtidDialect {

	/** MariaDB: {@code domain-server-sequence} GTIDs, {@code MASTER_GTID_WAIT}. */
	MARIADB("SELECT @@last_gtid", "SELECT MASTER_GTID_WAIT(?, ?)"),

	/**
	 * MySQL 8: {@code uuid:n} GTID sets, {@code WAIT_FOR_EXECUTED_GTID_SET}. The write's own GTID would need session
	 * tracking; the writer's own intervals of its executed set are used instead ({@code @@server_uuid}'s, which
	 * include the write), not the whole set with every server that ever wrote.
	 */
	MYSQL("SELECT @@global.gtid_executed, @@global.server_uuid", "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");

	private final String lastWriteQuery;

	private final String waitQuery;

	GtidDialect(String lastWriteQuery, String waitQuery) {
		this.lastWriteQuery = lastWriteQuery;
		this.waitQuery = waitQuery;
	}

	/**
	 * The query that returns, on the writer's connection right after a commit, a GTID position that includes it (read
	 * it with {@link #lastWrite(ResultSet)}).
	 * @return the query
	 */
	public String lastWriteQuery() {
		return this.lastWriteQuery;
	}

	/**
	 * The position a read must wait for to see the write just committed, from the row {@link #lastWriteQuery()}
	 * returned: on MariaDB the session's last GTID; on MySQL the writer's own part of its executed set (the whole set
	 * when the writer's UUID is not in it, as with Group Replication, which names GTIDs after the group).
	 * @param row the query's row
	 * @return the position, or {@code null} if there is none or it cannot be read
	 * @throws SQLException if the row cannot be read
	 */
	public @Nullable String lastWrite(ResultSet row) throws SQLException {
		String position = row.getString(1);
		if (this == MARIADB || position == null || position.isBlank()) {
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

	/**
	 * The query that waits on a replica until it has applied a GTID position: parameters are the position and the
	 * timeout in (fractional) seconds; it returns 0 when applied.
	 * @return the query
	 */
	public String waitQuery() {
		return this.waitQuery;
	}

	/**
	 * Parse a GTID position of this flavour.
	 * @param text the position
	 * @return the parsed position
	 */
	public GtidPosition parse(String text) {
		return (this == MARIADB) ? GtidPosition.parseMariaDb(text) : GtidPosition.parseMySql(text);
	}

	/**
	 * The flavour of the server a connection talks to, from the version its driver already knows.
	 * @param connection an open connection
	 * @return the dialect
	 * @throws SQLException if the driver cannot tell
	 */
	public static GtidDialect of(Connection connection) throws SQLException {
		String version = connection.getMetaData().getDatabaseProductVersion();
		return (version != null && version.toLowerCase(Locale.ROOT).contains("mariadb")) ? MARIADB : MYSQL;
	}

}
