package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Discovery;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Replica;
import io.github.replicarouting.database.AttachedReplica;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Discovery ({@code routing.datasource.discovery.enabled}): every interval, asks the node taking writes which replicas
 * are attached to it and adds each new one (a pool from the template in {@code routing.datasource.discovery.replica});
 * a discovered replica missing from the list for {@code missing-checks-before-removal} questions in a row is removed
 * (it finishes its reads first). Replicas already known by their address (configured nodes, the standbys, which the
 * writer lists too) are left alone, and configured replicas are never removed. A replica an operator removed is not
 * brought back while the writer still lists it; once it has left the list, it is discovered again when it returns. One question per interval on one
 * connection of its own, whatever the request rate; each instance discovers for itself.
 *
 * <p>Over 250 lines: the lifecycle, the URL template's checks, one round's joins and leaves and the connection to
 * the writer, kept together because they share one thread and its state.
 */
final class ReplicaDiscovery implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ReplicaDiscovery.class);

	static final String NAME_PREFIX = "discovered-";

	private final ObjectProvider<DataSource> dataSource;

	private final RoutingDataSourceProperties properties;

	private final NodePoolFactory pools;

	private final ManagedReplicas replicas;

	private final String urlTemplate;

	/** Discovered replicas by name, with how many questions in a row they were missing. */
	private final Map<String, Integer> discovered = new HashMap<>();

	private final Map<String, String> addressOf = new HashMap<>();

	private volatile @Nullable ScheduledExecutorService executor;

	private @Nullable DataSourceNode askedNode;

	private @Nullable Connection connection;

	private @Nullable String lastProblem;

	ReplicaDiscovery(ObjectProvider<DataSource> dataSource, RoutingDataSourceProperties properties,
			NodePoolFactory pools, ManagedReplicas replicas) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.pools = pools;
		this.replicas = replicas;
		this.urlTemplate = urlTemplate(properties);
	}

	static String urlTemplate(RoutingDataSourceProperties properties) {
		String configured = properties.getDiscovery().getReplica().getUrl();
		if (configured != null) {
			if (!configured.contains(JdbcAddress.HOST)) {
				throw new RoutingConfigurationException("routing.datasource.discovery.replica.url has no "
						+ JdbcAddress.HOST + " placeholder: every discovered replica would get the same URL.",
						"Write it as e.g. jdbc:mariadb://{host}:{port}/mydb, or leave it unset to use the primary's "
								+ "URL with each replica's host and port.");
			}
			return configured;
		}
		String template = JdbcAddress.template(properties.getPrimary().getUrl());
		if (template == null) {
			throw new RoutingConfigurationException(
					"routing.datasource.discovery is enabled, but the primary's URL ("
							+ Secrets.mask(properties.getPrimary().getUrl())
							+ ") does not have one host and port to replace with each discovered replica's.",
					"Set routing.datasource.discovery.replica.url, e.g. jdbc:mariadb://{host}:{port}/mydb.");
		}
		return template;
	}

	private Duration interval() {
		Duration interval = this.properties.getDiscovery().getInterval();
		return (interval != null) ? interval : this.properties.getCheckInterval();
	}

	@Override
	public synchronized void start() {
		if (this.executor != null || RoutingDataSource.from(this.dataSource.getIfUnique()) == null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "routing-discovery");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		executor.scheduleWithFixedDelay(this::discoverSafely, 0, interval().toMillis(), TimeUnit.MILLISECONDS);
		logger.info("Discovering replicas from the writer every " + interval().toMillis() + " ms (new ones get "
				+ Secrets.mask(this.urlTemplate) + ")");
	}

	private void discoverSafely() {
		try {
			discover();
		}
		catch (RuntimeException ex) {
			logger.warn("Replica discovery failed: " + Secrets.describe(ex), ex);
		}
	}

	/**
	 * One question to the writer and what follows from the answer. Public to the package for tests that do not wait.
	 */
	synchronized void discover() {
		Topology topology = RoutingDataSource.required(this.dataSource.getObject()).getTopology();
		DataSourceNode writer = topology.writer();
		if (writer == null) {
			// Nothing to ask; and a missing writer says nothing about the replicas.
			return;
		}
		List<AttachedReplica> attached;
		try {
			// The connection first: it confirms the writer's flavour (MariaDB behind MySQL Connector/J).
			Connection connection = connectionTo(writer);
			attached = writer.getFlavour().readAttachedReplicas(connection);
			this.lastProblem = null;
		}
		catch (SQLException ex) {
			closeConnection();
			// Keyed by what went wrong, not by its message: drivers put the connection's id in it.
			report("ask " + writer.getName() + " " + ex.getSQLState() + " " + ex.getErrorCode(),
					"Cannot ask '" + writer.getName() + "' which replicas are attached to it: " + Secrets.describe(ex)
					+ ". Discovery adds and removes nothing until it can. The account needs REPLICATION MASTER ADMIN "
					+ "(MariaDB 10.5.2+) or REPLICATION SLAVE (MySQL); set routing.datasource.discovery.username "
					+ "and password to one that has it.");
			return;
		}
		Set<String> known = knownAddresses(topology);
		Set<String> listed = new LinkedHashSet<>();
		for (AttachedReplica replica : attached) {
			if (!replica.hasAddress()) {
				continue;
			}
			String address = JdbcAddress.normalize(replica.host(), replica.port());
			listed.add(address);
			if (!known.contains(address) && !this.replicas.isRemovedByOperator(address)) {
				join(replica, address);
			}
		}
		this.replicas.forgetRemovalsExcept(listed);
		for (String name : new HashSet<>(this.discovered.keySet())) {
			if (topology.findStatus(name) == null) {
				// Removed by an operator meanwhile.
				this.discovered.remove(name);
				this.addressOf.remove(name);
			}
			else if (listed.contains(this.addressOf.get(name))) {
				this.discovered.put(name, 0);
			}
			else {
				leave(name);
			}
		}
	}

	private void join(AttachedReplica attached, String address) {
		String name = NAME_PREFIX + attached.host().trim().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + attached.port();
		Discovery discovery = this.properties.getDiscovery();
		Replica template = discovery.getReplica();
		Replica replica = new Replica();
		replica.setUrl(JdbcAddress.fill(this.urlTemplate, attached.host().trim(), attached.port()));
		replica.setUsername(template.getUsername());
		replica.setPassword(template.getPassword());
		replica.setDriverClassName(template.getDriverClassName());
		replica.getHikari().putAll(template.getHikari());
		replica.setWeight(template.getWeight());
		try {
			if (this.replicas.addDiscovered(name, replica) != null) {
				this.discovered.put(name, 0);
				this.addressOf.put(name, address);
			}
		}
		catch (IllegalArgumentException ex) {
			report("add " + address, "Cannot add discovered replica at " + address + " (server_id " + attached.serverId() + "): "
					+ ex.getMessage());
		}
	}

	private void leave(String name) {
		int missing = this.discovered.merge(name, 1, Integer::sum);
		if (missing < Math.max(1, this.properties.getDiscovery().getMissingChecksBeforeRemoval())) {
			return;
		}
		try {
			this.replicas.removeDiscovered(name);
			this.discovered.remove(name);
			this.addressOf.remove(name);
		}
		catch (IllegalArgumentException ex) {
			// Removed by an operator meanwhile.
			this.discovered.remove(name);
			this.addressOf.remove(name);
		}
		catch (IllegalStateException ex) {
			report("remove " + name, ex.getMessage());
		}
	}

	/** The addresses of every node in the topology, from their pools' URLs. */
	private static Set<String> knownAddresses(Topology topology) {
		Set<String> known = new HashSet<>();
		for (DataSourceNode node : topology.getNodes()) {
			String address = JdbcAddress.of(NodePools.jdbcUrlOf(node));
			if (address != null) {
				known.add(address);
			}
		}
		return known;
	}

	private Connection connectionTo(DataSourceNode writer) throws SQLException {
		Connection connection = this.connection;
		if (connection != null && this.askedNode == writer) {
			return connection;
		}
		closeConnection();
		Discovery discovery = this.properties.getDiscovery();
		RoutingDataSourceProperties.Node settings = settingsOf(writer);
		DataSource unpooled = this.pools.createProbeDataSource(settings,
				(discovery.getUsername() != null) ? discovery.getUsername() : this.pools.username(settings),
				(discovery.getPassword() != null) ? discovery.getPassword() : this.pools.password(settings));
		connection = unpooled.getConnection();
		connection.setNetworkTimeout(Runnable::run, (int) this.properties.getNodeTimeout().toMillis());
		writer.flavourOf(connection);
		this.connection = connection;
		this.askedNode = writer;
		return connection;
	}

	private RoutingDataSourceProperties.Node settingsOf(DataSourceNode writer) {
		RoutingDataSourceProperties.Node standby = this.properties.getStandbys().get(writer.getName());
		return (standby != null) ? standby : this.properties.getPrimary();
	}

	/** Each distinct problem ({@code key}) once at WARN, until discovery works again. */
	private void report(String key, @Nullable String problem) {
		if (!key.equals(this.lastProblem)) {
			logger.warn(problem);
		}
		this.lastProblem = key;
	}

	private void closeConnection() {
		Connection connection = this.connection;
		this.connection = null;
		this.askedNode = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				logger.debug("Could not close discovery's connection", ex);
			}
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.executor;
			this.executor = null;
		}
		// Without the lock, which a round in progress holds until it has finished.
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			closeConnection();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/** After the monitor, which must be running for discovered replicas to join. */
	@Override
	public int getPhase() {
		return TopologyMonitorLifecycle.PHASE + 1;
	}

}
