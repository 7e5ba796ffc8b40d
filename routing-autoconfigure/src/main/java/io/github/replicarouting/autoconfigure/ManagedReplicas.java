package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Replica;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.ReplicaDefinition;
import io.github.replicarouting.topology.RoutingReplicas;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;

/**
 * The {@link RoutingReplicas} of the routing {@code DataSource} the auto-configuration built: builds and checks the
 * pools of replicas added at run time, remembers their settings (the monitor's connection to them is made from them),
 * and closes a removed replica's pools once the reads in flight on it have finished.
 *
 * <p>Slightly over 250 lines: the checks that make a bad request change nothing, and the pools' retirement.
 */
final class ManagedReplicas implements RoutingReplicas, DisposableBean {

	private static final Log logger = LogFactory.getLog(ManagedReplicas.class);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	/** How long a removed replica's reads in flight may take before its pool is closed under them. */
	static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(60);

	private static final long RETIRE_POLL_MILLIS = 50;

	private final ObjectProvider<DataSource> dataSource;

	private final RoutingDataSourceProperties properties;

	private final NodePoolFactory pools;

	private final Map<String, Replica> added = new ConcurrentHashMap<>();

	private final Map<DataSourceNode, Long> retiring = new ConcurrentHashMap<>();

	/** Addresses of replicas an operator removed: discovery leaves them out while the writer still lists them. */
	private final Set<String> removedByOperator = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService retirer;

	ManagedReplicas(ObjectProvider<DataSource> dataSource, RoutingDataSourceProperties properties,
			NodePoolFactory pools) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.pools = pools;
	}

	private Topology topology() {
		// By unwrapping: instrumentation may have wrapped the bean.
		return RoutingDataSource.required(this.dataSource.getObject()).getTopology();
	}

	@Override
	public String add(ReplicaDefinition definition, String requestedBy) {
		return add(toReplica(definition), definition.name(), true, requestedBy);
	}

	/**
	 * Add a replica the writer listed; it is added even if it does not connect yet (it then shows as down, with the
	 * reason), since the writer says it exists.
	 */
	@Nullable String addDiscovered(String name, Replica replica) {
		synchronized (this) {
			String address = JdbcAddress.of(replica.getUrl());
			if (address != null && isRemovedByOperator(address)) {
				// An operator removed it while this discovery round ran.
				return null;
			}
			return add(replica, name, false, "discovery");
		}
	}

	// Synchronized: two adds of one name must not both build a pool and overwrite each other's settings. Adds and
	// removals are rare; the connection check inside takes at most node-timeout.
	private synchronized String add(Replica replica, String name, boolean mustConnect, String requestedBy) {
		check(name, replica);
		Topology topology = topology();
		if (topology.findStatus(name) != null) {
			throw new IllegalArgumentException("A node named '" + name + "' exists already. Nothing was changed. "
					+ "Choose another name, or remove '" + name + "' first.");
		}
		DataSourceNode node;
		try {
			node = this.pools.createAddedReplica(name, replica);
		}
		catch (RoutingConfigurationException ex) {
			throw new IllegalArgumentException(ex.getMessage() + " " + ex.getAction() + " Nothing was changed.", ex);
		}
		try {
			if (mustConnect) {
				checkConnects(node, replica);
			}
			this.added.put(name, replica);
			return topology.addReplica(node, catchUpLag(), requestedBy);
		}
		catch (RuntimeException ex) {
			this.added.remove(name);
			NodePools.close(node);
			throw ex;
		}
	}

	private void check(String name, Replica replica) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Replica name '" + name + "' is not allowed: use letters, digits, "
					+ "'.', '_' and '-', starting with a letter or digit. Nothing was changed.");
		}
		if (NodePoolFactory.PRIMARY_NAME.equals(name)) {
			throw new IllegalArgumentException("A replica cannot be named '" + NodePoolFactory.PRIMARY_NAME
					+ "', the primary's name. Nothing was changed.");
		}
		if (!StringUtils.hasText(replica.getUrl())) {
			throw new IllegalArgumentException(
					"Replica '" + name + "' has no URL. Give its JDBC URL. Nothing was changed.");
		}
		if (replica.getWeight() < 1) {
			throw new IllegalArgumentException("Replica '" + name + "' has weight " + replica.getWeight()
					+ "; give 1 or more. Nothing was changed.");
		}
	}

	private static void checkConnects(DataSourceNode node, Replica replica) {
		try (Connection connection = node.getDataSource().getConnection()) {
			node.flavourOf(connection);
		}
		catch (SQLException ex) {
			throw new IllegalArgumentException("Replica '" + node.getName() + "' at " + Secrets.mask(replica.getUrl())
					+ " does not connect: " + Secrets.describe(ex) + ". Nothing was changed. Check its URL and "
					+ "credentials, and that the server is running.", ex);
		}
	}

	/**
	 * A replica added at run time joins once it is as close to the writer as a configured replica may be, or within
	 * one check interval when no limit is set.
	 */
	private Duration catchUpLag() {
		Duration maxLag = this.properties.getMaxReplicationLag();
		return (maxLag != null) ? maxLag : this.properties.getCheckInterval();
	}

	@Override
	public String remove(String name, String requestedBy) {
		return remove(name, requestedBy, true);
	}

	/**
	 * Remove a replica that left the writer's list.
	 */
	String removeDiscovered(String name) {
		return remove(name, "discovery (no longer attached to the writer)", false);
	}

	/**
	 * Whether an operator removed the replica at this address ({@link JdbcAddress#of}) since the writer last stopped
	 * listing it: discovery must not bring it back behind the operator's back.
	 */
	boolean isRemovedByOperator(String address) {
		return this.removedByOperator.contains(address);
	}

	/**
	 * The writer no longer lists these addresses: a replica attached there again later is discovered again.
	 */
	void forgetRemovalsExcept(Set<String> listed) {
		this.removedByOperator.retainAll(listed);
	}

	private synchronized String remove(String name, String requestedBy, boolean byOperator) {
		Topology topology = topology();
		DataSourceNode node = topology.getNode(name);
		if (node.getRole() != NodeRole.REPLICA) {
			throw new IllegalArgumentException("Node '" + name + "' is not a replica: only replicas can be removed "
					+ "at run time. Nothing was changed.");
		}
		if (!this.properties.isFallbackToPrimary() && topology.getReplicas().size() <= 1) {
			throw new IllegalStateException("'" + name + "' is the last replica and fallback-to-primary is false: "
					+ "without it every read would fail. Nothing was changed. Add another replica first, or set "
					+ "routing.datasource.fallback-to-primary=true.");
		}
		// Before it leaves the topology: a discovery round running now must already see it as removed.
		String address = JdbcAddress.of(NodePools.jdbcUrlOf(node));
		boolean held = byOperator && address != null && this.removedByOperator.add(address);
		DataSourceNode removed;
		try {
			removed = topology.removeReplica(name, requestedBy);
		}
		catch (RuntimeException ex) {
			if (held) {
				this.removedByOperator.remove(address);
			}
			throw ex;
		}
		this.added.remove(name);
		int inFlight = removed.getActiveConnections();
		retire(removed);
		return "Replica '" + name + "' removed: out of rotation; its pool closes once the " + inFlight
				+ " read(s) in flight on it have finished";
	}

	/**
	 * Close a removed replica's pools once nothing is borrowed from them (closing earlier would abort the reads in
	 * flight), or after {@link #RETIRE_TIMEOUT}.
	 */
	private void retire(DataSourceNode node) {
		this.retiring.put(node, System.nanoTime());
		ScheduledExecutorService retirer = retirer();
		retirer.schedule(() -> closeWhenIdle(node), 0, TimeUnit.MILLISECONDS);
	}

	private void closeWhenIdle(DataSourceNode node) {
		Long since = this.retiring.get(node);
		if (since == null) {
			return;
		}
		long waited = System.nanoTime() - since;
		if (node.getActiveConnections() > 0 && waited < RETIRE_TIMEOUT.toNanos()) {
			retirer().schedule(() -> closeWhenIdle(node), RETIRE_POLL_MILLIS, TimeUnit.MILLISECONDS);
			return;
		}
		if (node.getActiveConnections() > 0) {
			logger.warn("Closing the pool of removed replica '" + node.getName() + "' with "
					+ node.getActiveConnections() + " connection(s) still borrowed after " + RETIRE_TIMEOUT.toSeconds()
					+ " s; the reads on them fail");
		}
		this.retiring.remove(node);
		NodePools.close(node);
		logger.info("Closed the pool of removed replica '" + node.getName() + "' "
				+ TimeUnit.NANOSECONDS.toMillis(waited) + " ms after its removal");
	}

	private synchronized ScheduledExecutorService retirer() {
		ScheduledExecutorService retirer = this.retirer;
		if (retirer == null) {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "routing-replica-retirer");
				thread.setDaemon(true);
				return thread;
			});
			// At shutdown, pools still waiting for their reads are closed by destroy(), not by these tasks.
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			retirer = executor;
			this.retirer = retirer;
		}
		return retirer;
	}

	/**
	 * The monitor's unpooled data source to a node: from the settings it was added with, else the configured ones.
	 */
	DataSource probeDataSource(DataSourceNode node) {
		Replica replica = (node.getRole() == NodeRole.REPLICA) ? this.added.get(node.getName()) : null;
		if (replica != null) {
			return this.pools.createProbeDataSource(replica, this.pools.username(replica),
					this.pools.password(replica));
		}
		return this.pools.createProbeDataSource(node);
	}

	private static Replica toReplica(ReplicaDefinition definition) {
		Replica replica = new Replica();
		replica.setUrl(definition.url());
		replica.setUsername(definition.username());
		replica.setPassword(definition.password());
		replica.setDriverClassName(definition.driverClassName());
		replica.getHikari().putAll(definition.hikari());
		replica.setWeight(definition.weight());
		return replica;
	}

	/**
	 * At shutdown, close the pools of removed replicas that were still waiting for their reads.
	 */
	@Override
	public void destroy() {
		ScheduledExecutorService retirer = this.retirer;
		if (retirer != null) {
			// Not shutdownNow(): a pool being closed must not be interrupted.
			retirer.shutdown();
			try {
				retirer.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (DataSourceNode node : this.retiring.keySet()) {
			NodePools.close(node);
		}
		this.retiring.clear();
	}

}
