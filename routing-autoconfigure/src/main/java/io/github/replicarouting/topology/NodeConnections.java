package io.github.replicarouting.topology;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The physical connections a node's pool has opened, so that they can be {@linkplain Connection#abort aborted} when
 * the node stops answering: a thread blocked in a read on a frozen server (which accepts TCP and answers nothing) is
 * freed only by closing its socket, and a driver's socket timeout would also kill legitimate long queries.
 *
 * <p>Give it to the pool as the source of its connections ({@code HikariConfig.setDataSource}). It sees only
 * connections being opened, which pools do rarely, so routing a transaction costs nothing more: no wrapper, no
 * bookkeeping when a connection is borrowed or returned.
 *
 * @since 0.1.0
 */
public final class NodeConnections implements DataSource {

	private static final Log logger = LogFactory.getLog(NodeConnections.class);

	/** Aborts may block (see {@link #abortAll()}): never on the caller's thread, never one behind another. */
	private static final ExecutorService aborts = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "routing-abort");
		thread.setDaemon(true);
		return thread;
	});

	private final DataSource driver;

	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong aborted = new AtomicLong();

	/**
	 * Track the connections opened through {@code driver}.
	 * @param driver where physical connections come from
	 */
	public NodeConnections(DataSource driver) {
		this.driver = driver;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return track(this.driver.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return track(this.driver.getConnection(username, password));
	}

	private Connection track(Connection connection) {
		forgetClosed();
		this.open.add(connection);
		return connection;
	}

	private void forgetClosed() {
		for (Iterator<Connection> connections = this.open.iterator(); connections.hasNext();) {
			if (isClosed(connections.next())) {
				connections.remove();
			}
		}
	}

	/**
	 * Abort every connection opened so far that is not closed yet, in use or idle, each on a thread of its own, and
	 * return without waiting: threads waiting on one of them get an exception as soon as its socket is closed, and
	 * the pool discards it. (See {@link DriverSockets} for why MariaDB Connector/J's sockets are closed first.)
	 * @return how many connections are being aborted
	 */
	public int abortAll() {
		int count = 0;
		for (Iterator<Connection> connections = this.open.iterator(); connections.hasNext();) {
			Connection connection = connections.next();
			connections.remove();
			if (isClosed(connection)) {
				continue;
			}
			count++;
			abortInBackground(connection);
		}
		this.aborted.addAndGet(count);
		return count;
	}

	/**
	 * Abort one connection on a thread of its own, without waiting.
	 * @param connection the connection
	 */
	static void abortInBackground(Connection connection) {
		aborts.execute(() -> {
			try {
				DriverSockets.close(connection);
				connection.abort(aborts);
			}
			catch (SQLException | RuntimeException ex) {
				logger.debug("Could not abort a connection", ex);
			}
		});
	}

	/**
	 * Connections opened and not known to be closed.
	 * @return the number of open connections
	 */
	public int openCount() {
		forgetClosed();
		return this.open.size();
	}

	/**
	 * Connections aborted since startup.
	 * @return the total
	 */
	public long abortedCount() {
		return this.aborted.get();
	}

	private static boolean isClosed(Connection connection) {
		try {
			// Both MySQL and MariaDB drivers answer from a local flag: no round trip, safe on a frozen node.
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.driver.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.driver.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.driver.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.driver.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.driver.getParentLogger();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? (T) this : this.driver.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.driver.isWrapperFor(iface);
	}

}
