package io.github.replicarouting.routing;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.replicarouting.NoReplicaAvailableException;
import io.github.replicarouting.NoWritablePrimaryException;
import io.github.replicarouting.consistency.ReadPlan;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's {@link DataSource}: hands out connections from the primary or from a replica.
 *
 * <p>The decision takes two steps, because Spring publishes a transaction's read-only flag only after it has taken
 * its connection:
 * <ol>
 * <li>When a connection is requested, the route requested on the thread ({@link RoutingContext}, set by
 * {@code @ReadOnly}/{@code @UsePrimary} before the transaction starts) is captured, or, without one, whether the current
 * transaction is read-only.</li>
 * <li>The connection handed out is lazy: the physical connection is taken at the first statement. With no captured
 * route, a connection that is by then {@link Connection#setReadOnly(boolean) marked read-only}, or used in a read-only
 * transaction (such as Spring Data's {@code findById}), goes to a replica; any other goes to the primary.</li>
 * </ol>
 * A connection, once taken, stays on its node: routing never switches inside a transaction.
 *
 * <pre class="code">
 * RoutingDataSource dataSource = new RoutingDataSource(primary, List.of(replica1, replica2),
 *         new RoundRobinLoadBalancer(), List.of());
 * </pre>
 *
 * @since 0.1.0
 */
public class RoutingDataSource extends AbstractDataSource implements Closeable {

	private static final Log logger = LogFactory.getLog(RoutingDataSource.class);

	private static final ReadYourWrites NO_READ_YOUR_WRITES = new ReadYourWrites(ReadYourWritesMode.NONE,
			Duration.ZERO, Duration.ZERO, Duration.ZERO);

	private final Topology topology;

	private final boolean fallbackToPrimary;

	private final ReplicaLoadBalancer loadBalancer;

	private final ReadYourWrites readYourWrites;

	private final List<RoutingListener> listeners;

	private final LazyConnectionDataSourceProxy requestedPrimary;

	private final LazyConnectionDataSourceProxy requestedReplica;

	private final LazyConnectionDataSourceProxy readOnlyTransaction;

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
		this.fallbackToPrimary = fallbackToPrimary;
		this.loadBalancer = loadBalancer;
		this.readYourWrites = readYourWrites;
		this.listeners = List.copyOf(listeners);
		DataSource primaryByRequest = new NodeDataSource(Route.PRIMARY, RoutingReason.ANNOTATION);
		DataSource replicaByRequest = new NodeDataSource(Route.REPLICA, RoutingReason.ANNOTATION);
		DataSource replicaForReadOnly = new NodeDataSource(Route.REPLICA, RoutingReason.READ_ONLY_TRANSACTION);
		DataSource byTransaction = new NodeDataSource(null, RoutingReason.DEFAULT);
		this.requestedPrimary = lazy(primaryByRequest, null);
		this.requestedReplica = lazy(replicaByRequest, null);
		this.readOnlyTransaction = lazy(replicaForReadOnly, null);
		this.unrouted = lazy(byTransaction, replicaForReadOnly);
	}

	private static LazyConnectionDataSourceProxy lazy(DataSource target, @Nullable DataSource readOnlyTarget) {
		LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy();
		proxy.setTargetDataSource(target);
		if (readOnlyTarget != null) {
			proxy.setReadOnlyDataSource(readOnlyTarget);
		}
		return proxy;
	}

	/**
	 * Read the primary's default auto-commit and isolation once, so that lazy connections can answer for them without
	 * taking a physical connection early (which would fix the node before the read-only flag is known).
	 */
	public void initialize() {
		try (Connection connection = getPrimary().getDataSource().getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			int isolation = connection.getTransactionIsolation();
			for (LazyConnectionDataSourceProxy proxy : List.of(this.requestedPrimary, this.requestedReplica,
					this.readOnlyTransaction, this.unrouted)) {
				proxy.setDefaultAutoCommit(autoCommit);
				proxy.setDefaultTransactionIsolation(isolation);
			}
		}
		catch (SQLException ex) {
			logger.warn("Could not reach the primary '" + getPrimary().getName()
					+ "' to read its connection defaults; they will be read from the first connection", ex);
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		return select().getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return select().getConnection(username, password);
	}

	private LazyConnectionDataSourceProxy select() {
		Route requested = RoutingContext.currentRoute();
		if (requested == Route.PRIMARY) {
			return this.requestedPrimary;
		}
		if (requested == Route.REPLICA) {
			return this.requestedReplica;
		}
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			return this.readOnlyTransaction;
		}
		return this.unrouted;
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
			closePool(node);
		}
	}

	private static void closePool(DataSourceNode node) {
		if (node.getDataSource() instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close the pool of '" + node.getName() + "'", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "RoutingDataSource[primary=" + getPrimary() + ", standbys=" + this.topology.getStandbys() + ", replicas="
				+ getReplicas() + "]";
	}

	private void notifyListeners(DataSourceNode node, Route route, RoutingReason reason) {
		if (this.listeners.isEmpty()) {
			return;
		}
		RoutingDecision decision = new RoutingDecision(node.getName(), route, reason);
		for (RoutingListener listener : this.listeners) {
			listener.onConnection(decision);
		}
	}

	/**
	 * Takes the physical connection from a node: the primary, or a replica chosen by the load balancer. Without a
	 * requested route it looks at the transaction when the first statement runs, by which time Spring has published
	 * the read-only flag (Hibernate, releasing connections after each transaction, never marks them read-only).
	 */
	private final class NodeDataSource extends AbstractDataSource {

		private final @Nullable Route route;

		private final RoutingReason reason;

		NodeDataSource(@Nullable Route route, RoutingReason reason) {
			this.route = route;
			this.reason = reason;
		}

		@Override
		public Connection getConnection() throws SQLException {
			return connect(DataSource::getConnection);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return connect((dataSource) -> dataSource.getConnection(username, password));
		}

		private Connection connect(ConnectionOpener opener) throws SQLException {
			Route target = this.route;
			RoutingReason why = this.reason;
			if (target == null) {
				boolean readOnly = TransactionSynchronizationManager.isCurrentTransactionReadOnly();
				target = readOnly ? Route.REPLICA : Route.PRIMARY;
				why = readOnly ? RoutingReason.READ_ONLY_TRANSACTION : RoutingReason.DEFAULT;
			}
			return (target == Route.PRIMARY) ? connectToWriter(opener, why) : connectToReplica(opener, why);
		}

		private Connection connectToWriter(ConnectionOpener opener, RoutingReason why) throws SQLException {
			Topology topology = RoutingDataSource.this.topology;
			DataSourceNode writer = topology.writer();
			if (writer == null) {
				throw new NoWritablePrimaryException(describe(topology, false));
			}
			Connection connection = open(writer, opener);
			notifyListeners(writer, Route.PRIMARY, why);
			return RoutingDataSource.this.readYourWrites.trackCommits(connection);
		}

		private Connection connectToReplica(ConnectionOpener opener, RoutingReason why) throws SQLException {
			Topology topology = RoutingDataSource.this.topology;
			if (topology.getReplicas().isEmpty()) {
				return readFromWriter(opener, RoutingReason.NO_REPLICA, null);
			}
			ReadYourWrites readYourWrites = RoutingDataSource.this.readYourWrites;
			ReadPlan plan = readYourWrites.planRead(topology);
			switch (plan.kind()) {
				case WRITER_STICKY:
					return readFromWriter(opener, RoutingReason.STICKY, null);
				case WRITER_CAUSAL:
					return readFromWriter(opener, RoutingReason.CAUSAL, null);
				default:
					break;
			}
			List<DataSourceNode> candidates = (plan.replicas() != null) ? plan.replicas() : topology.eligibleReplicas();
			Exception lastFailure = null;
			while (!candidates.isEmpty()) {
				DataSourceNode replica = RoutingDataSource.this.loadBalancer.choose(candidates);
				try {
					Connection connection = open(replica, opener);
					if (!awaitApplied(readYourWrites, connection, plan, replica)) {
						return readFromWriter(opener, RoutingReason.CAUSAL, null);
					}
					RoutingContext.noteReplica(replica);
					notifyListeners(replica, Route.REPLICA, why);
					return connection;
				}
				catch (SQLException | RuntimeException ex) {
					// Nothing has run for the caller on this connection yet: try another replica.
					lastFailure = ex;
					candidates = without(candidates, replica);
				}
			}
			if (plan.kind() == ReadPlan.Kind.REPLICAS) {
				// The replicas that could have the scope's write failed: the writer has it.
				return readFromWriter(opener, RoutingReason.CAUSAL, lastFailure);
			}
			if (!RoutingDataSource.this.fallbackToPrimary) {
				String replicas = describe(topology, true);
				throw (lastFailure != null) ? new NoReplicaAvailableException(replicas, lastFailure)
						: new NoReplicaAvailableException(replicas);
			}
			return readFromWriter(opener, RoutingReason.FALLBACK, lastFailure);
		}

		private boolean awaitApplied(ReadYourWrites readYourWrites, Connection connection, ReadPlan plan,
				DataSourceNode replica) throws SQLException {
			if (plan.waitFor() == null) {
				return true;
			}
			boolean applied;
			long started = System.nanoTime();
			try {
				applied = readYourWrites.awaitApplied(connection, plan);
			}
			catch (SQLException | RuntimeException ex) {
				connection.close();
				throw ex;
			}
			if (!applied) {
				connection.close();
			}
			Duration waited = Duration.ofNanos(System.nanoTime() - started);
			for (RoutingListener listener : RoutingDataSource.this.listeners) {
				listener.onCausalWait(replica.getName(), waited, applied);
			}
			return applied;
		}

		private Connection readFromWriter(ConnectionOpener opener, RoutingReason why, @Nullable Exception replicaFailure)
				throws SQLException {
			DataSourceNode writer = RoutingDataSource.this.topology.writer();
			if (writer == null) {
				NoWritablePrimaryException ex = new NoWritablePrimaryException(
						describe(RoutingDataSource.this.topology, false));
				if (replicaFailure != null) {
					ex.addSuppressed(replicaFailure);
				}
				throw ex;
			}
			Connection connection = open(writer, opener);
			// Still a read-only scope: keep writes out, as on a replica (the pool resets the flag on return).
			connection.setReadOnly(true);
			notifyListeners(writer, Route.PRIMARY, why);
			return connection;
		}

		private Connection open(DataSourceNode node, ConnectionOpener opener) throws SQLException {
			try {
				return opener.open(node.getDataSource());
			}
			catch (SQLException | RuntimeException ex) {
				if (ConnectionFailures.isNodeFailure(ex)) {
					RoutingDataSource.this.topology.reportConnectionFailure(node, ex);
				}
				throw ex;
			}
		}

		@Override
		public String toString() {
			return RoutingDataSource.this.toString() + " (" + ((this.route != null) ? this.route : "by transaction")
					+ ")";
		}

	}

	private static List<DataSourceNode> without(List<DataSourceNode> nodes, DataSourceNode excluded) {
		List<DataSourceNode> remaining = new ArrayList<>(nodes);
		remaining.remove(excluded);
		return remaining;
	}

	/**
	 * Describe the nodes of the topology for an error message, e.g. {@code replica-1 is DOWN (connection refused)}.
	 */
	private static String describe(Topology topology, boolean replicas) {
		StringBuilder description = new StringBuilder();
		for (NodeStatus status : topology.getStatuses()) {
			if ((status.role() == NodeRole.REPLICA) != replicas) {
				continue;
			}
			if (!description.isEmpty()) {
				description.append(", ");
			}
			description.append(status.name()).append(" is ").append(status.state());
			if (status.role() != NodeRole.REPLICA && status.state() == NodeState.UP) {
				description.append(status.writable() ? " and writable" : " but read-only");
			}
			description.append(" (").append(status.reason()).append(")");
		}
		return description.toString();
	}

	@FunctionalInterface
	private interface ConnectionOpener {

		Connection open(DataSource dataSource) throws SQLException;

	}

}
