package io.github.replicarouting.topology;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;
import java.sql.Connection;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Closes the socket under a MariaDB Connector/J connection, which its {@code abort} cannot do while another thread is
 * blocked reading from a frozen server: the driver first sends {@code KILL} over a new connection (which waits for
 * its connect timeout), then drains the socket with a read that waits for the blocked reader's lock, so the abort
 * hangs as long as the freeze. Closing the socket itself wakes the blocked reader at once with a socket error.
 *
 * <p>The driver has no public way to reach its socket, so this finds the one {@link Socket} field of its client by
 * type. Any other driver, or a MariaDB driver laid out differently, is left alone: {@code Connection.abort} still
 * runs after this.
 */
final class DriverSockets {

	private static final Log logger = LogFactory.getLog(DriverSockets.class);

	private static final String MARIADB_CONNECTION = "org.mariadb.jdbc.Connection";

	private DriverSockets() {
	}

	/**
	 * Close the socket of a MariaDB Connector/J connection; nothing for other drivers.
	 * @param connection a physical connection
	 */
	static void close(Connection connection) {
		if (!connection.getClass().getName().equals(MARIADB_CONNECTION)) {
			return;
		}
		try {
			Object client = connection.getClass().getMethod("getClient").invoke(connection);
			Socket socket = (client != null) ? socketOf(client, 2) : null;
			if (socket != null) {
				socket.close();
			}
		}
		catch (ReflectiveOperationException | RuntimeException | IOException | LinkageError ex) {
			logger.debug("Could not close the socket of a MariaDB connection; aborting it the driver's way", ex);
		}
	}

	/**
	 * The socket held by {@code client}, looking into the clients it delegates to (failover clients), at most
	 * {@code depth} levels down.
	 */
	private static @Nullable Socket socketOf(Object client, int depth) throws IllegalAccessException {
		for (Class<?> type = client.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (Socket.class.isAssignableFrom(field.getType())) {
					field.setAccessible(true);
					return (Socket) field.get(client);
				}
			}
		}
		if (depth > 0) {
			for (Class<?> type = client.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					if (field.getType().getName().equals("org.mariadb.jdbc.client.Client")) {
						field.setAccessible(true);
						Object delegate = field.get(client);
						Socket socket = (delegate != null) ? socketOf(delegate, depth - 1) : null;
						if (socket != null) {
							return socket;
						}
					}
				}
			}
		}
		return null;
	}

}
