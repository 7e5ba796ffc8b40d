package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The lazy connection {@link RoutingDataSource} hands out when nothing tells the node at {@code getConnection()}:
 * Spring's {@link LazyConnectionDataSourceProxy} over two targets that route at the first statement.
 */
final class LazyConnections {

	private final ReplicaSelector replicas;

	private final WriterConnections writer;

	private final Object router;

	private LazyConnections(ReplicaSelector replicas, WriterConnections writer, Object router) {
		this.replicas = replicas;
		this.writer = writer;
		this.router = router;
	}

	/**
	 * The proxy whose connections route at their first statement.
	 * @param replicas serves the reads
	 * @param writer serves the rest
	 * @param router named in the targets' {@code toString()}
	 * @return the proxy
	 */
	static LazyConnectionDataSourceProxy create(ReplicaSelector replicas, WriterConnections writer, Object router) {
		LazyConnections targets = new LazyConnections(replicas, writer, router);
		LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy();
		proxy.setTargetDataSource(targets.new ByTransactionDataSource());
		proxy.setReadOnlyDataSource(targets.new ReadOnlyTransactionDataSource());
		return proxy;
	}

	/**
	 * Decides at the first statement of a lazy connection, by which time Spring has published the transaction's
	 * read-only flag (Hibernate, releasing connections after each transaction, never marks them read-only).
	 */
	private final class ByTransactionDataSource extends AbstractDataSource {

		@Override
		public Connection getConnection() throws SQLException {
			return connectByTransaction(ConnectionOpener.DEFAULT_CREDENTIALS);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return connectByTransaction(new ConnectionOpener.Credentials(username, password));
		}

		private Connection connectByTransaction(ConnectionOpener opener) throws SQLException {
			return TransactionSynchronizationManager.isCurrentTransactionReadOnly()
					? LazyConnections.this.replicas.select(opener, RoutingReason.READ_ONLY_TRANSACTION)
					: LazyConnections.this.writer.readWrite(opener, RoutingReason.DEFAULT);
		}

		@Override
		public String toString() {
			return LazyConnections.this.router.toString() + " (by transaction)";
		}

	}

	/**
	 * Serves lazy connections marked read-only before their first statement.
	 */
	private final class ReadOnlyTransactionDataSource extends AbstractDataSource {

		@Override
		public Connection getConnection() throws SQLException {
			return LazyConnections.this.replicas.select(ConnectionOpener.DEFAULT_CREDENTIALS,
					RoutingReason.READ_ONLY_TRANSACTION);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return LazyConnections.this.replicas.select(new ConnectionOpener.Credentials(username, password),
					RoutingReason.READ_ONLY_TRANSACTION);
		}

		@Override
		public String toString() {
			return LazyConnections.this.router.toString() + " (read-only)";
		}

	}

}
