package io.github.replicarouting.topology;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A MySQL 8 server as far as the monitor can tell, answering its probe queries from settable values: no MySQL server
 * is available here. {@code SHOW REPLICA STATUS} is refused (access denied), as for an account without
 * {@code REPLICATION CLIENT}, so lag is measured by GTID position only.
 */
final class FakeMySql implements DataSource {

	private final Map<String, String> variables = new ConcurrentHashMap<>();

	FakeMySql(boolean readOnly, String gtidExecuted) {
		this.variables.put("@@global.read_only", readOnly ? "1" : "0");
		this.variables.put("@@global.gtid_executed", gtidExecuted);
	}

	void gtidExecuted(String gtidExecuted) {
		this.variables.put("@@global.gtid_executed", gtidExecuted);
	}

	@Override
	public Connection getConnection() {
		return proxy(Connection.class, (proxy, method, args) -> switch (method.getName()) {
			case "getMetaData" -> proxy(DatabaseMetaData.class, (meta, metaMethod, metaArgs) -> switch (metaMethod
				.getName()) {
				case "getDatabaseProductName" -> "MySQL";
				case "getDatabaseProductVersion" -> "8.4.3";
				default -> null;
			});
			case "createStatement" -> statement();
			case "isValid" -> true;
			case "isClosed", "getAutoCommit" -> method.getName().equals("getAutoCommit");
			case "setNetworkTimeout" -> throw new SQLFeatureNotSupportedException();
			case "hashCode" -> System.identityHashCode(proxy);
			case "equals" -> proxy == args[0];
			default -> null;
		});
	}

	private Statement statement() {
		return proxy(Statement.class, (proxy, method, args) -> {
			if (!method.getName().equals("executeQuery")) {
				return null;
			}
			String sql = (String) args[0];
			if (sql.startsWith("SHOW ")) {
				throw new SQLException("Access denied; you need (at least one of) the REPLICATION CLIENT privilege(s)",
						"42000", 1227);
			}
			if (sql.equals("SELECT VERSION()")) {
				return row("8.4.3");
			}
			String[] columns = sql.substring("SELECT ".length()).split(",\\s*");
			String[] values = new String[columns.length];
			for (int i = 0; i < columns.length; i++) {
				values[i] = this.variables.get(columns[i]);
			}
			return row(values);
		});
	}

	private static ResultSet row(String... values) {
		boolean[] read = new boolean[1];
		return proxy(ResultSet.class, (proxy, method, args) -> switch (method.getName()) {
			case "next" -> {
				boolean hasRow = !read[0];
				read[0] = true;
				yield hasRow;
			}
			case "getString" -> values[(Integer) args[0] - 1];
			case "getInt" -> Integer.parseInt(values[(Integer) args[0] - 1]);
			default -> null;
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, InvocationHandler handler) {
		return (T) Proxy.newProxyInstance(FakeMySql.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	@Override
	public Connection getConnection(String username, String password) {
		return getConnection();
	}

	@Override
	public PrintWriter getLogWriter() {
		return null;
	}

	@Override
	public void setLogWriter(PrintWriter out) {
	}

	@Override
	public void setLoginTimeout(int seconds) {
	}

	@Override
	public int getLoginTimeout() {
		return 0;
	}

	@Override
	public Logger getParentLogger() {
		return Logger.getGlobal();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		throw new SQLException("Not a wrapper");
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) {
		return false;
	}

}
