package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Node;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Replica;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeConnections;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.Secrets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.StringUtils;

/**
 * Builds one Hikari pool per node from {@link RoutingDataSourceProperties}, after checking that the settings describe a
 * usable topology. Over 250 lines because one job has many settings: Hikari binding, read-only sessions, connection
 * tracking and the checks that explain a bad configuration.
 */
final class NodePoolFactory {

	private static final Log logger = LogFactory.getLog(NodePoolFactory.class);

	static final String PRIMARY_NAME = "primary";

	private static final String PREFIX = "routing.datasource";

	static final String READ_ONLY_POOL_SUFFIX = "-read-only";

	/** MySQL Connector/J: whether {@code Connection.setReadOnly} sends {@code SET SESSION TRANSACTION ...}. */
	static final String READ_ONLY_PROPAGATES_TO_SERVER = "readOnlyPropagatesToServer";

	/** Hikari's floor for its validation timeout, in milliseconds. */
	private static final long MINIMUM_VALIDATION_TIMEOUT = 250;

	private static final int HIKARI_DEFAULT_POOL_SIZE = 10;

	private final RoutingDataSourceProperties properties;

	private final @Nullable ClassLoader classLoader;

	NodePoolFactory(RoutingDataSourceProperties properties, @Nullable ClassLoader classLoader) {
		this.properties = properties;
		this.classLoader = classLoader;
	}

	DataSourceNode createPrimary() {
		Node primary = this.properties.getPrimary();
		if (!StringUtils.hasText(primary.getUrl())) {
			throw new RoutingConfigurationException(
					"No primary database is configured: " + PREFIX + ".primary.url is not set.",
					"Set " + PREFIX + ".primary.url (with username and password), or spring.datasource.url, to the "
							+ "JDBC URL of the database that takes writes, or set " + PREFIX
							+ ".enabled=false to define the DataSource yourself.");
		}
		HikariDataSource pool = createPool(PRIMARY_NAME, PREFIX + ".primary", primary, primary.getUsername(),
				primary.getPassword());
		trackCommitPositions(pool, primary);
		HikariDataSource readOnlySessions = createReadOnlySessions(pool, PRIMARY_NAME, PREFIX + ".primary", primary,
				primary.getUsername(), primary.getPassword());
		return new DataSourceNode(PRIMARY_NAME, NodeRole.PRIMARY, pool, readOnlySessions, 1, flavourOf(primary));
	}

	DataSourceNode createStandby(String name, Node standby) {
		String prefix = PREFIX + ".standbys." + name;
		checkNode(name, prefix, standby, "standby");
		HikariDataSource pool = createPool(name, prefix, standby, username(standby), password(standby));
		trackCommitPositions(pool, standby);
		// A standby may be down when the application starts; that must not stop it.
		pool.setInitializationFailTimeout(-1);
		HikariDataSource readOnlySessions = createReadOnlySessions(pool, name, prefix, standby, username(standby),
				password(standby));
		return new DataSourceNode(name, NodeRole.STANDBY, pool, readOnlySessions, 1, flavourOf(standby));
	}

	/**
	 * An unpooled data source for the monitor's own connection to a node, with connect and socket timeouts.
	 */
	DataSource createProbeDataSource(DataSourceNode node) {
		return createProbeDataSource(settingsOf(node), username(settingsOf(node)), password(settingsOf(node)));
	}

	/**
	 * An unpooled data source to a node with these settings, logging in as given (the monitor's own connection, or
	 * discovery's), with connect and socket timeouts.
	 */
	DataSource createProbeDataSource(Node settings, @Nullable String username, @Nullable String password) {
		SimpleDriverDataSource dataSource = DataSourceBuilder.create(this.classLoader)
			.type(SimpleDriverDataSource.class)
			.url(settings.getUrl())
			.username(username)
			.password(password)
			.driverClassName(settings.getDriverClassName())
			.build();
		// Flavours whose drivers name no such timeouts keep their defaults and the monitor's network timeout.
		Map<String, String> timeouts = flavourOf(settings).probeTimeouts(this.properties.getFailoverTimeout());
		if (!timeouts.isEmpty()) {
			Properties connectionProperties = new Properties();
			connectionProperties.putAll(timeouts);
			dataSource.setConnectionProperties(connectionProperties);
		}
		return dataSource;
	}

	private Node settingsOf(DataSourceNode node) {
		return switch (node.getRole()) {
			case PRIMARY -> this.properties.getPrimary();
			case STANDBY -> this.properties.getStandbys().get(node.getName());
			case REPLICA -> this.properties.getReplicas().get(node.getName());
		};
	}

	@Nullable String username(Node node) {
		return (node.getUsername() != null) ? node.getUsername() : this.properties.getPrimary().getUsername();
	}

	@Nullable String password(Node node) {
		return (node.getPassword() != null) ? node.getPassword() : this.properties.getPrimary().getPassword();
	}

	private void checkNode(String name, String prefix, Node node, String kind) {
		if (!StringUtils.hasText(node.getUrl())) {
			throw new RoutingConfigurationException(
					capitalize(kind) + " '" + name + "' has no URL: " + prefix + ".url is not set.",
					"Set " + prefix + ".url to the JDBC URL of the " + kind + ", or remove the " + kind + ".");
		}
		if (PRIMARY_NAME.equals(name)) {
			throw new RoutingConfigurationException("A " + kind + " is named '" + PRIMARY_NAME + "', the primary's name.",
					"Give the " + kind + " under " + prefix + " another name.");
		}
	}

	private static String capitalize(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	DataSourceNode createReplica(String name, Replica replica) {
		String prefix = PREFIX + ".replicas." + name;
		checkNode(name, prefix, replica, "replica");
		if (this.properties.getStandbys().containsKey(name)) {
			throw new RoutingConfigurationException("'" + name + "' is both a replica and a standby.",
					"Give each node one name, under " + PREFIX + ".replicas or " + PREFIX + ".standbys.");
		}
		if (replica.getWeight() < 1) {
			throw new RoutingConfigurationException(
					"Replica '" + name + "' has weight " + replica.getWeight() + "; weights must be 1 or more.",
					"Set " + prefix + ".weight to a positive number, or remove the replica to send it no reads.");
		}
		HikariDataSource pool = createPool(name, prefix, replica, username(replica), password(replica));
		// A replica may be down when the application starts; reads then go elsewhere until it is back.
		pool.setInitializationFailTimeout(-1);
		makeReadOnly(pool, replica);
		return new DataSourceNode(name, NodeRole.REPLICA, pool, null, replica.getWeight(), flavourOf(replica));
	}

	/**
	 * A replica added at run time (by an operator or by discovery), its pool started. Its settings were checked by
	 * the caller; the prefix in messages is where such a replica would be configured.
	 */
	DataSourceNode createAddedReplica(String name, Replica replica) {
		HikariDataSource pool = createPool(name, PREFIX + ".replicas." + name, replica, username(replica),
				password(replica));
		pool.setInitializationFailTimeout(-1);
		makeReadOnly(pool, replica);
		return started(new DataSourceNode(name, NodeRole.REPLICA, pool, null, replica.getWeight(), flavourOf(replica)));
	}

	/**
	 * The replica with its pool started now rather than by the first read that needs it. Connections open in the
	 * background, so a replica that is down delays nothing (its initialization-fail-timeout is -1).
	 */
	DataSourceNode started(DataSourceNode replica) {
		HikariDataSource pool = new HikariDataSource((HikariDataSource) replica.getDataSource());
		logger.info("Started the pool of replica '" + pool.getPoolName() + "' (" + Secrets.mask(pool.getJdbcUrl())
				+ ", " + pool.getMinimumIdle() + " to " + pool.getMaximumPoolSize() + " connections)");
		return new DataSourceNode(replica.getName(), NodeRole.REPLICA, pool, null, replica.getWeight(),
				replica.getFlavour());
	}

	/**
	 * The pool a node taking writes uses for the reads of read-only scopes it serves (no replica in rotation, or
	 * read-your-writes), so that a write there is refused by the server as it would be on a replica. It opens
	 * connections only when such a read comes, and closes them once idle.
	 */
	private @Nullable HikariDataSource createReadOnlySessions(HikariDataSource readWrite, String name, String prefix,
			Node node, @Nullable String username, @Nullable String password) {
		// One budget per node: the read-only sessions take their share of the node's maximum-pool-size (a quarter,
		// half when there is no replica and every read lands here), so the instance never opens more than that.
		int budget = (readWrite.getMaximumPoolSize() > 0) ? readWrite.getMaximumPoolSize() : HIKARI_DEFAULT_POOL_SIZE;
		if (budget < 2) {
			// No room for a second pool: reads of read-only scopes use the node's own pool, marked read-only.
			return null;
		}
		int share = Math.max(1, budget / (this.properties.getReplicas().isEmpty() ? 2 : 4));
		readWrite.setMaximumPoolSize(budget - share);
		HikariDataSource pool = createPool(name + READ_ONLY_POOL_SUFFIX, prefix, node, username, password);
		pool.setMaximumPoolSize(share);
		pool.setMinimumIdle(0);
		pool.setInitializationFailTimeout(-1);
		makeReadOnly(pool, node);
		return pool;
	}

	/**
	 * Read-only connections must never write, whatever the account's privileges (read_only=1 does not stop SUPER):
	 * where the node's flavour has a statement that makes the session read-only, it runs on every connection. On a
	 * database without one the pool is only read-only.
	 */
	private static void makeReadOnly(HikariDataSource pool, Node node) {
		pool.setReadOnly(true);
		String readOnlySessionSql = flavourOf(node).readOnlySessionSql();
		if (readOnlySessionSql == null) {
			return;
		}
		if (isMySqlConnectorJ(node) && !isSetByUser(pool, node, READ_ONLY_PROPAGATES_TO_SERVER)) {
			// The session is READ ONLY from its first statement (below) to its end, so Connector/J need not say it
			// again: with its default (true) every Connection.setReadOnly is a statement to the server (Spring's and
			// the pool's, around each read-only transaction), and isReadOnly() a SELECT. With false, setReadOnly
			// sends nothing, the driver still refuses writes itself, and a setReadOnly(false) (Spring's reset after
			// a read-only transaction) can no longer make the session writable. What MariaDB Connector/J does anyway.
			pool.addDataSourceProperty(READ_ONLY_PROPAGATES_TO_SERVER, "false");
		}
		if (pool.getConnectionInitSql() == null) {
			pool.setConnectionInitSql(readOnlySessionSql);
		}
		else if (pool.getDataSource() instanceof NodeConnections) {
			// Hikari runs one init statement, and it is the user's: the session is made read-only as each connection
			// is opened, before the user's statement runs. (The pool opens connections from its URL, as
			// trackConnections arranged; they stay tracked.)
			pool.setDataSource(new NodeConnections(
					new ReadOnlySessionDataSource(new DriverOnFirstUse(pool), readOnlySessionSql)));
		}
	}

	/**
	 * Causal read-your-writes needs each commit's position: where the driver can read it from the server's reply to
	 * the commit, the writer's pool asks for it (one {@code SET} when a connection opens instead of a query per
	 * commit). Driver properties the user set are left as they are; without tracking, commits' positions are asked.
	 */
	private void trackCommitPositions(HikariDataSource pool, Node node) {
		if (this.properties.getReadYourWrites() != ReadYourWritesMode.CAUSAL) {
			return;
		}
		flavourOf(node).commitTrackingProperties(isMySqlConnectorJ(node)).forEach((key, value) -> {
			if (!isSetByUser(pool, node, key)) {
				pool.addDataSourceProperty(key, value);
			}
		});
	}

	/**
	 * Whether the node's connections come from MySQL Connector/J, judged from its driver class, or from its URL when
	 * no driver class is set.
	 */
	static boolean isMySqlConnectorJ(Node node) {
		String driver = lowerCase(node.getDriverClassName());
		if (!driver.isEmpty()) {
			return driver.startsWith("com.mysql.");
		}
		String url = lowerCase(node.getUrl());
		return url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mysql+srv:");
	}

	/**
	 * Whether the user set a driver property, in the node's URL or in the pool's {@code data-source-properties}.
	 */
	private static boolean isSetByUser(HikariDataSource pool, Node node, String property) {
		String name = property.toLowerCase(Locale.ROOT);
		if (lowerCase(node.getUrl()).contains(name + "=")) {
			return true;
		}
		return pool.getDataSourceProperties()
			.stringPropertyNames()
			.stream()
			.anyMatch((key) -> key.equalsIgnoreCase(property));
	}

	/**
	 * The node's database flavour as its settings tell it, before any connection is opened.
	 */
	static DatabaseFlavour flavourOf(Node node) {
		return DatabaseFlavours.forUrl(node.getUrl(), node.getDriverClassName());
	}

	private static String lowerCase(@Nullable String text) {
		return (text != null) ? text.toLowerCase(Locale.ROOT) : "";
	}

	private HikariDataSource createPool(String name, String prefix, Node node, @Nullable String username,
			@Nullable String password) {
		HikariDataSource pool = DataSourceBuilder.create(this.classLoader)
			.type(HikariDataSource.class)
			.url(node.getUrl())
			.username(username)
			.password(password)
			.driverClassName(node.getDriverClassName())
			.build();
		pool.setPoolName(name);
		// A dead or frozen node must cost a caller a bounded wait, once: then it is out of rotation. Hikari validates
		// an idle connection before handing it out, and on a frozen node that validation waits its whole timeout.
		long failoverTimeout = this.properties.getFailoverTimeout().toMillis();
		pool.setConnectionTimeout(failoverTimeout);
		pool.setValidationTimeout(Math.max(MINIMUM_VALIDATION_TIMEOUT, Math.min(failoverTimeout, 5000)));
		// A new connection to a frozen node gives up as the pool's wait does, unless the URL says otherwise.
		flavourOf(node).connectTimeouts(this.properties.getFailoverTimeout()).forEach((key, value) -> {
			if (!lowerCase(node.getUrl()).contains(key.toLowerCase(Locale.ROOT) + "=")) {
				pool.addDataSourceProperty(key, value);
			}
		});
		Map<String, String> hikari = new LinkedHashMap<>();
		this.properties.getHikari().forEach((key, value) -> hikari.put(hikariKey(key), value));
		node.getHikari().forEach((key, value) -> hikari.put(hikariKey(key), value));
		bindHikariSettings(pool, hikari, prefix);
		trackConnections(pool);
		return pool;
	}

	/**
	 * Have the pool open its connections through {@link NodeConnections}, so that the monitor can abort them when
	 * the node stops answering. Only for pools that open connections from a JDBC URL, as Hikari itself would (same
	 * URL, driver, properties and credentials); a pool given a {@code DataSource} class or JNDI name is left alone.
	 */
	private static void trackConnections(HikariDataSource pool) {
		if (pool.getDataSource() != null || pool.getDataSourceClassName() != null || pool.getDataSourceJNDI() != null
				|| pool.getJdbcUrl() == null) {
			return;
		}
		pool.setDataSource(new NodeConnections(new DriverOnFirstUse(pool)));
	}

	/**
	 * Hikari's own driver data source for the pool's URL, made when the first connection is opened (as Hikari would
	 * make it), so that a URL no driver accepts fails where it did before: at the first connection, not at startup.
	 */
	private static final class DriverOnFirstUse extends AbstractDataSource {

		private final HikariDataSource pool;

		private volatile @Nullable DriverDataSource driver;

		DriverOnFirstUse(HikariDataSource pool) {
			this.pool = pool;
		}

		@Override
		public Connection getConnection() throws SQLException {
			return driver().getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return driver().getConnection(username, password);
		}

		private DriverDataSource driver() {
			DriverDataSource driver = this.driver;
			if (driver == null) {
				synchronized (this) {
					driver = this.driver;
					if (driver == null) {
						HikariDataSource pool = this.pool;
						driver = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(),
								pool.getDataSourceProperties(), pool.getUsername(), pool.getPassword());
						this.driver = driver;
					}
				}
			}
			return driver;
		}

		@Override
		public void setLoginTimeout(int timeout) {
			// What Hikari's DriverDataSource does with the login timeout the pool derives from connection-timeout.
			DriverManager.setLoginTimeout(timeout);
		}

		@Override
		public int getLoginTimeout() {
			return DriverManager.getLoginTimeout();
		}

	}

	/**
	 * A Hikari setting's key in kebab-case, except the driver property named after {@code data-source-properties}:
	 * driver properties are case-sensitive ({@code readOnlyPropagatesToServer}), so that name is kept as written.
	 */
	private static String hikariKey(String key) {
		int end = 0;
		while (end < key.length() && key.charAt(end) != '.' && key.charAt(end) != '[') {
			end++;
		}
		String head = DataObjectPropertyName.toDashedForm(key.substring(0, end));
		if (end == key.length() || !"data-source-properties".equals(head)) {
			return DataObjectPropertyName.toDashedForm(key);
		}
		String name = key.substring(end + 1);
		if (name.endsWith("]")) {
			name = name.substring(0, name.length() - 1);
		}
		return head + "[" + name + "]";
	}

	private static void bindHikariSettings(HikariDataSource pool, Map<String, String> settings, String prefix) {
		if (settings.isEmpty()) {
			return;
		}
		String poolName = pool.getPoolName();
		Binder binder = new Binder(new MapConfigurationPropertySource(prefixed(settings)));
		try {
			binder.bind(ConfigurationPropertyName.of("hikari"), Bindable.ofInstance(pool),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		}
		catch (BindException ex) {
			throw new RoutingConfigurationException(
					"Invalid Hikari settings for pool '" + poolName + "': " + rootMessage(ex),
					"Check " + PREFIX + ".hikari and " + prefix + ".hikari: keys are HikariConfig properties in "
							+ "kebab-case (e.g. maximum-pool-size, connection-timeout).");
		}
		// Binding may set a pool name of its own; the node name must stay visible in logs and metrics.
		pool.setPoolName(poolName);
	}

	private static Map<String, String> prefixed(Map<String, String> settings) {
		Map<String, String> prefixed = new LinkedHashMap<>();
		settings.forEach((key, value) -> prefixed.put("hikari." + key, value));
		return prefixed;
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
