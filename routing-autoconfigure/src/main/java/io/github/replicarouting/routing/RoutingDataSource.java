package io.github.replicarouting.routing;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.github.replicarouting.NoReplicaAvailableException;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import io.github.replicarouting.topology.TopologyListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's {@link DataSource}: hands out connections from the primary or from a replica.
 *
 * <p>Spring publishes a transaction's read-only flag only after the transaction manager has taken its connection, so
 * when a connection is requested the node is known in most cases but not all:
 * <ul>
 * <li>a route requested on the thread ({@link RoutingContext}: {@code @ReadOnly}, {@code @UsePrimary}, the
 * {@code Routing} API) decides;</li>
 * <li>else a published read-only flag sends it to a replica, and a running read-write transaction to the primary;</li>
 * <li>else, while a transaction manager begins the transaction of a method the
 * {@link RoutingAnnotationInterceptor} has seen, that method's transaction attribute decides (read-only: a
 * replica);</li>
 * <li>otherwise (a read-only transaction begun by a {@code TransactionTemplate}, code without a transaction) the
 * connection handed out is lazy: the physical connection is taken at the first statement, when a connection
 * {@link Connection#setReadOnly(boolean) marked read-only} or used in a read-only transaction goes to a replica and any
 * other goes to the primary.</li>
 * </ul>
 * In the first three cases the pool's own connection is handed out, so routing adds no wrapper and no reflective call
 * to the transaction. A connection, once taken, stays on its node: routing never switches inside a transaction.
 *
 * <pre class="code">
 * RoutingDataSource dataSource = new RoutingDataSource(primary, List.of(replica1, replica2),
 *         new RoundRobinLoadBalancer(), List.of());
 * </pre>
 *
 * <p>It only decides the route; reads go through the {@link ReplicaSelector}, writes through
 * {@link WriterConnections}, failures reach the topology through {@link RoutingFailures}. A little over 250 lines
 * because it is also the public entry point: its constructors, {@code unwrap}, and {@link #from}/{@link #required}
 * for a {@code DataSource} bean that instrumentation has wrapped.
 *
 * @since 0.1.0
 */
public class RoutingDataSource extends AbstractDataSource implements Closeable {

	private static final Log logger = LogFactory.getLog(RoutingDataSource.class);

	private static final ReadYourWrites NO_READ_YOUR_WRITES = new ReadYourWrites(ReadYourWritesMode.NONE,
			Duration.ZERO, Duration.ZERO, Duration.ZERO);

	private final Topology topology;

	private final ReplicaSelector replicas;

	private final WriterConnections writer;

	private final LazyConnectionDataSourceProxy unrouted;

	/**
	 * Create a routing data source.
	 * @param primary the node that takes writes
	 * @param replicas the read replicas, possibly none
	 * @param loadBalancer chooses a replica for each read
	 * @param listeners told about every connection taken from a node
	 */
	public RoutingDataSource(DataSourceNode primary, List<DataSourceNode> replicas, ReplicaLoadBalancer loadBalancer,
			List<RoutingListener> listeners) {
		this(new Topology(primary, List.of(), replicas), true, loadBalancer, listeners);
	}

	/**
	 * Create a routing data source over a topology whose state a {@link io.github.replicarouting.topology.TopologyMonitor}
	 * keeps up to date.
	 * @param topology the nodes and their state
	 * @param fallbackToPrimary whether reads go to the primary when no replica is in rotation (otherwise they fail
	 * with {@link NoReplicaAvailableException})
	 * @param loadBalancer chooses a replica for each read
	 * @param listeners told about every connection taken from a node
	 */
	public RoutingDataSource(Topology topology, boolean fallbackToPrimary, ReplicaLoadBalancer loadBalancer,
			List<RoutingListener> listeners) {
		this(topology, fallbackToPrimary, loadBalancer, NO_READ_YOUR_WRITES, listeners);
	}

	/**
	 * Create a routing data source with read-your-writes.
	 * @param topology the nodes and their state
	 * @param fallbackToPrimary whether reads go to the primary when no replica is in rotation
	 * @param loadBalancer chooses a replica for each read
	 * @param readYourWrites what a read does after a write in the same scope
	 * @param listeners told about every connection taken from a node
	 */
	public RoutingDataSource(Topology topology, boolean fallbackToPrimary, ReplicaLoadBalancer loadBalancer,
			ReadYourWrites readYourWrites, List<RoutingListener> listeners) {
		this.topology = topology;
		RoutingDecisions decisions = new RoutingDecisions(topology.getNodes(), listeners);
		topology.addListener(new TopologyListener() {

			@Override
			public void nodeRemoved(DataSourceNode node) {
				decisions.forget(node);
			}

		});
		RoutingFailures failures = new RoutingFailures(() -> topology);
		this.writer = new WriterConnections(topology, readYourWrites, decisions, failures);
		this.replicas = new ReplicaSelector(topology, loadBalancer, readYourWrites, fallbackToPrimary, this.writer,
				decisions, failures);
		this.unrouted = LazyConnections.create(this.replicas, this.writer, this);
	}

	/**
	 * Read the primary's default auto-commit and isolation once, so that lazy connections can answer for them without
	 * taking a physical connection early (which would fix the node before the read-only flag is known).
	 */
	public void initialize() {
		try (Connection connection = getPrimary().getDataSource().getConnection()) {
			this.unrouted.setDefaultAutoCommit(connection.getAutoCommit());
			this.unrouted.setDefaultTransactionIsolation(connection.getTransactionIsolation());
		}
		catch (SQLException ex) {
			logger.warn("Could not reach the primary '" + getPrimary().getName()
					+ "' to read its connection defaults; they will be read from the first connection: "
					+ Secrets.describe(ex));
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		return connect(ConnectionOpener.DEFAULT_CREDENTIALS);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return connect(new ConnectionOpener.Credentials(username, password));
	}

	private Connection connect(ConnectionOpener opener) throws SQLException {
		Route requested = RoutingContext.currentRoute();
		if (requested == Route.PRIMARY) {
			// A read-only scope nested in @UsePrimary (or a read-only transaction of a @UsePrimary method) runs on the
			// primary, in a read-only session all the same.
			return RoutingContext.isReadOnlyScope() ? this.writer.readOnly(opener, RoutingReason.ANNOTATION, null)
					: this.writer.readWrite(opener, RoutingReason.ANNOTATION);
		}
		if (requested == Route.REPLICA) {
			return this.replicas.select(opener, RoutingReason.ANNOTATION);
		}
		// Taken by the first connection of the scope, whatever it decides: a later one (in a nested REQUIRES_NEW,
		// say) belongs to another transaction.
		Route beginning = RoutingContext.takeTransactionRoute();
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			return this.replicas.select(opener, RoutingReason.READ_ONLY_TRANSACTION);
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			return this.writer.readWrite(opener, RoutingReason.DEFAULT);
		}
		// No transaction published yet: if the interceptor saw the method, this is its transaction beginning.
		if (beginning == Route.REPLICA) {
			return this.replicas.select(opener, RoutingReason.READ_ONLY_TRANSACTION);
		}
		if (beginning == Route.PRIMARY) {
			return this.writer.readWrite(opener, RoutingReason.DEFAULT);
		}
		return (opener instanceof ConnectionOpener.Credentials credentials)
				? this.unrouted.getConnection(credentials.username(), credentials.password())
				: this.unrouted.getConnection();
	}

	/**
	 * The configured primary node.
	 * @return the primary
	 */
	public DataSourceNode getPrimary() {
		return this.topology.getPrimary();
	}

	/**
	 * The replica nodes, in configured order, whatever their state.
	 * @return the replicas, possibly empty
	 */
	public List<DataSourceNode> getReplicas() {
		return this.topology.getReplicas();
	}

	/**
	 * The nodes and their current state.
	 * @return the topology
	 */
	public Topology getTopology() {
		return this.topology;
	}

	/**
	 * The routing data source behind a {@code DataSource} bean that instrumentation (a JDK proxy, a
	 * {@code DelegatingDataSource}) may have wrapped: nothing may depend on the bean's concrete class.
	 * @param dataSource the data source, possibly a wrapper
	 * @return the routing data source, or {@code null} if it does not wrap one
	 * @since 0.1.0
	 */
	public static @Nullable RoutingDataSource from(@Nullable DataSource dataSource) {
		if (dataSource instanceof RoutingDataSource routing) {
			return routing;
		}
		try {
			return (dataSource != null && dataSource.isWrapperFor(RoutingDataSource.class))
					? dataSource.unwrap(RoutingDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * Required by the beans of the auto-configuration that read the topology.
	 * @param dataSource the data source bean, possibly a wrapper
	 * @return the routing data source
	 * @throws IllegalStateException if the data source wraps none
	 * @since 0.1.0
	 */
	public static RoutingDataSource required(DataSource dataSource) {
		RoutingDataSource routing = from(dataSource);
		if (routing == null) {
			throw new IllegalStateException("The DataSource bean (" + dataSource.getClass().getName()
					+ ") neither is nor unwraps to a RoutingDataSource: a wrapper around it must implement "
					+ "DataSource.unwrap/isWrapperFor by delegating to the data source it wraps.");
		}
		return routing;
	}

	/**
	 * Unwraps to this data source, or else to the primary's pool (so that tools looking for a pool find the one that
	 * takes writes).
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return (T) this;
		}
		return getPrimary().getDataSource().unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || getPrimary().getDataSource().isWrapperFor(iface);
	}

	/**
	 * Close every node's pool that can be closed.
	 */
	@Override
	public void close() {
		for (DataSourceNode node : this.topology.getNodes()) {
			closePool(node, node.getDataSource());
			if (node.getReadOnlyDataSource() != null) {
				closePool(node, node.getReadOnlyDataSource());
			}
		}
	}

	private static void closePool(DataSourceNode node, DataSource pool) {
		if (pool instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close the pool of '" + node.getName() + "': " + Secrets.describe(ex));
			}
		}
	}

	@Override
	public String toString() {
		return "RoutingDataSource[primary=" + getPrimary() + ", standbys=" + this.topology.getStandbys() + ", replicas="
				+ getReplicas() + "]";
	}

}
