package io.github.replicarouting.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The known {@link DatabaseFlavour flavours}, and the only place that tells which one a node runs.
 *
 * @since 0.1.0
 */
public final class DatabaseFlavours {

	/** MariaDB. */
	public static final DatabaseFlavour MARIADB = new MariaDbFlavour();

	/** MySQL 8. */
	public static final DatabaseFlavour MYSQL = new MySqlFlavour();

	/** Any other JDBC database. */
	public static final DatabaseFlavour GENERIC = new GenericJdbcFlavour();

	/** Every flavour, for errors raised where the node is not known. */
	private static final DatabaseFlavour[] ALL = { MARIADB, MYSQL, GENERIC };

	private DatabaseFlavours() {
	}

	/**
	 * The flavour a node's settings point to, before any connection is opened: from its JDBC URL or driver class.
	 * MySQL Connector/J may talk to MariaDB: the URL then says MySQL, whose pool settings are MariaDB's too, and the
	 * first connection tells them apart ({@link #detect}). URLs of wrapping drivers (such as
	 * {@code jdbc:aws-wrapper:mysql:}) are not recognized unless the driver class names MySQL or MariaDB.
	 * @param url the JDBC URL, may be {@code null}
	 * @param driverClassName the driver class, may be {@code null}
	 * @return the flavour, {@link #GENERIC} when neither names MySQL or MariaDB
	 */
	public static DatabaseFlavour forUrl(@Nullable String url, @Nullable String driverClassName) {
		String lowerUrl = lowerCase(url);
		String driver = lowerCase(driverClassName);
		if (lowerUrl.startsWith("jdbc:mariadb:") || driver.contains("mariadb")) {
			return MARIADB;
		}
		if (lowerUrl.startsWith("jdbc:mysql:") || lowerUrl.startsWith("jdbc:mysql+srv:") || driver.contains("mysql")) {
			return MYSQL;
		}
		return GENERIC;
	}

	/**
	 * The flavour of the server a connection talks to, from what its driver already knows (no round trip): the
	 * product name, and the version, which tells MariaDB from MySQL with MySQL Connector/J.
	 * @param connection an open connection
	 * @return the flavour
	 * @throws SQLException if the driver cannot tell
	 */
	public static DatabaseFlavour fromMetadata(Connection connection) throws SQLException {
		String product = connection.getMetaData().getDatabaseProductName();
		if (product != null && !isMySqlOrMariaDb(product)) {
			return GENERIC;
		}
		String version = connection.getMetaData().getDatabaseProductVersion();
		return (version != null && version.toLowerCase(Locale.ROOT).contains("mariadb")) ? MARIADB : MYSQL;
	}

	/**
	 * The flavour of the server a connection talks to, asking the server when the driver's product name says MySQL or
	 * MariaDB ({@code SELECT VERSION()}).
	 * @param connection an open connection
	 * @return the flavour
	 * @throws SQLException if the driver or server cannot tell (a server that rejects the query, too)
	 */
	public static DatabaseFlavour detect(Connection connection) throws SQLException {
		if (!isMySqlOrMariaDb(connection.getMetaData().getDatabaseProductName())) {
			return GENERIC;
		}
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT VERSION()")) {
			result.next();
			return result.getString(1).toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
		}
	}

	private static boolean isMySqlOrMariaDb(@Nullable String product) {
		return product != null && (product.contains("MySQL") || product.contains("MariaDB"));
	}

	/**
	 * Whether any flavour says the error is a write refused as read-only (raised where the node is not known).
	 * @param ex a JDBC error
	 * @return {@code true} for a refused write
	 */
	public static boolean isReadOnlyViolation(SQLException ex) {
		for (DatabaseFlavour flavour : ALL) {
			if (flavour.isReadOnlyViolation(ex)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether any flavour says the error code is a statement the database does not know.
	 * @param ex a JDBC error
	 * @return {@code true} for an unsupported statement
	 */
	public static boolean isUnsupportedStatement(SQLException ex) {
		for (DatabaseFlavour flavour : ALL) {
			if (flavour.isUnsupportedStatement(ex)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether any flavour says the account may not run the statement.
	 * @param ex a JDBC error
	 * @return {@code true} for access denied
	 */
	public static boolean isAccessDenied(SQLException ex) {
		for (DatabaseFlavour flavour : ALL) {
			if (flavour.isAccessDenied(ex)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether any flavour says a driver-specific exception is a broken connection.
	 * @param ex a throwable in a failure's cause chain
	 * @return {@code true} for a broken connection
	 */
	public static boolean isConnectionFailure(Throwable ex) {
		for (DatabaseFlavour flavour : ALL) {
			if (flavour.isConnectionFailure(ex)) {
				return true;
			}
		}
		return false;
	}

	private static String lowerCase(@Nullable String text) {
		return (text != null) ? text.toLowerCase(Locale.ROOT) : "";
	}

}
