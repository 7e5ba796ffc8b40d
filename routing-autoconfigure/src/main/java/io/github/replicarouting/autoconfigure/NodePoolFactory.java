package io.github.replicarouting.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Node;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Replica;
import io.github.replicarouting.routing.DataSourceNode;
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
import org.springframework.util.StringUtils;

/**
 * Builds one Hikari pool per node from {@link RoutingDataSourceProperties}, after checking that the settings describe a
 * usable topology.
 */
final class NodePoolFactory {

	static final String PRIMARY_NAME = "primary";

	private static final String PREFIX = "routing.datasource";

	static final String READ_ONLY_SESSION_SQL = "SET SESSION TRANSACTION READ ONLY";

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
					"Set " + PREFIX + ".primary.url (with username and password) to the JDBC URL of the database "
							+ "that takes writes, or set " + PREFIX + ".enabled=false to define the DataSource yourself.");
		}
		HikariDataSource pool = createPool(PRIMARY_NAME, PREFIX + ".primary", primary, primary.getUsername(),
				primary.getPassword());
		return new DataSourceNode(PRIMARY_NAME, pool, 1);
	}

	DataSourceNode createReplica(String name, Replica replica) {
		String prefix = PREFIX + ".replicas." + name;
		if (!StringUtils.hasText(replica.getUrl())) {
			throw new RoutingConfigurationException("Replica '" + name + "' has no URL: " + prefix + ".url is not set.",
					"Set " + prefix + ".url to the JDBC URL of the replica, or remove the replica.");
		}
		if (PRIMARY_NAME.equals(name)) {
			throw new RoutingConfigurationException("A replica is named '" + PRIMARY_NAME + "', the primary's name.",
					"Give the replica under " + prefix + " another name.");
		}
		if (replica.getWeight() < 1) {
			throw new RoutingConfigurationException(
					"Replica '" + name + "' has weight " + replica.getWeight() + "; weights must be 1 or more.",
					"Set " + prefix + ".weight to a positive number, or remove the replica to send it no reads.");
		}
		Node primary = this.properties.getPrimary();
		String username = (replica.getUsername() != null) ? replica.getUsername() : primary.getUsername();
		String password = (replica.getPassword() != null) ? replica.getPassword() : primary.getPassword();
		HikariDataSource pool = createPool(name, prefix, replica, username, password);
		// Replica connections must never write, whatever the account's privileges (read_only=1 does not stop SUPER).
		// Connection.setReadOnly reaches the server with MySQL Connector/J but not with MariaDB Connector/J, so the
		// session is made read-only explicitly as well.
		pool.setReadOnly(true);
		if (pool.getConnectionInitSql() == null) {
			pool.setConnectionInitSql(READ_ONLY_SESSION_SQL);
		}
		return new DataSourceNode(name, pool, replica.getWeight());
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
		Map<String, String> hikari = new LinkedHashMap<>();
		this.properties.getHikari().forEach((key, value) -> hikari.put(DataObjectPropertyName.toDashedForm(key), value));
		node.getHikari().forEach((key, value) -> hikari.put(DataObjectPropertyName.toDashedForm(key), value));
		bindHikariSettings(pool, hikari, prefix);
		return pool;
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
