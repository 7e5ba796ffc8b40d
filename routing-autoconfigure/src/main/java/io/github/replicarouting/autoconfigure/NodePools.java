package io.github.replicarouting.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Secrets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the auto-configuration does with the pools it built for a node: close them, and read the JDBC URL they
 * connect to.
 */
final class NodePools {

	private static final Log logger = LogFactory.getLog(NodePools.class);

	private NodePools() {
	}

	/**
	 * Close the node's pools (its own and its read-only sessions'), logging a failure at DEBUG.
	 */
	static void close(DataSourceNode node) {
		for (DataSource pool : new DataSource[] { node.getDataSource(), node.getReadOnlyDataSource() }) {
			if (pool instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					logger.debug("Could not close the pool of '" + node.getName() + "': " + Secrets.describe(ex));
				}
			}
		}
	}

	/**
	 * The JDBC URL of the node's pool, if it is a Hikari pool.
	 */
	static @Nullable String jdbcUrlOf(DataSourceNode node) {
		DataSource dataSource = node.getDataSource();
		try {
			return dataSource.isWrapperFor(HikariDataSource.class)
					? dataSource.unwrap(HikariDataSource.class).getJdbcUrl() : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
