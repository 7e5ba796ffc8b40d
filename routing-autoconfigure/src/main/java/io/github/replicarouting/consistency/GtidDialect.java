package io.github.replicarouting.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import io.github.replicarouting.topology.GtidPosition;

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
	 * tracking; the server's executed set is used instead, which includes it.
	 */
	MYSQL("SELECT @@global.gtid_executed", "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");

	private final String lastWriteQuery;

	private final String waitQuery;

	GtidDialect(String lastWriteQuery, String waitQuery) {
		this.lastWriteQuery = lastWriteQuery;
		this.waitQuery = waitQuery;
	}

	/**
	 * The query that returns, on the writer's connection right after a commit, a GTID position that includes it.
	 * @return the query
	 */
	public String lastWriteQuery() {
		return this.lastWriteQuery;
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
