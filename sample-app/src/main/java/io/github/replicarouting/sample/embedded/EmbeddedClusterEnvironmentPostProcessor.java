package io.github.replicarouting.sample.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded MariaDB primary with two replicas when {@code routing.datasource.primary.url} is not set, and
 * points {@code routing.datasource.*} at them, so the sample runs without a database, and activates the
 * {@value #PROFILE} profile. Set {@value #ENABLED_PROPERTY}{@code =false} to turn this off.
 *
 * <p>The cluster is stopped when the application context closes, after every other bean (so connection pools close
 * before their servers go away), and by a JVM shutdown hook if the context never closes.
 *
 * @since 0.1.0
 */
public class EmbeddedClusterEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Whether to start the embedded cluster when no primary is configured. */
	public static final String ENABLED_PROPERTY = "sample.embedded-cluster.enabled";

	/** The profile activated once the embedded cluster runs: the sample's demo-only beans need it. */
	public static final String PROFILE = "embedded";

	/** Name of the property source that holds the cluster's connection settings. */
	public static final String PROPERTY_SOURCE_NAME = "embeddedReplicationCluster";

	private static final String PREFIX = "routing.datasource";

	private final Log logger;

	public EmbeddedClusterEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		// Logging is not set up yet while the environment is prepared; a deferred log prints once it is.
		this.logger = logFactory.getLog(EmbeddedClusterEnvironmentPostProcessor.class);
	}

	/**
	 * Runs last, so that {@code application.yml}, profiles and command-line arguments have all been loaded when it
	 * decides whether a primary is configured.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!shouldStart(environment)) {
			return;
		}
		ReplicationCluster cluster;
		try {
			cluster = ReplicationCluster.builder().replicas(2).start();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not start the embedded MariaDB replication cluster. Set "
					+ PREFIX + ".primary.url to use your own databases (see application-external.yml), or "
					+ ENABLED_PROPERTY + "=false", ex);
		}
		EmbeddedClusterLifecycle.manage(cluster, application);
		// Last, so that any routing.datasource.* setting the user did make (hikari, weights) still wins.
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(cluster)));
		// The demo-only parts (the load generators) exist with this profile, so only on a cluster started here.
		environment.addActiveProfile(PROFILE);
		this.logger.info("Started an embedded MariaDB replication cluster (" + describe(cluster)
				+ "); set " + PREFIX + ".primary.url to use your own databases instead");
	}

	private boolean shouldStart(ConfigurableEnvironment environment) {
		if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return false;
		}
		Binder binder = Binder.get(environment);
		if (!binder.bind(ENABLED_PROPERTY, Boolean.class).orElse(true)) {
			this.logger.debug("Not starting an embedded cluster: " + ENABLED_PROPERTY + " is false");
			return false;
		}
		// Bound rather than looked up, so that relaxed forms such as ROUTING_DATASOURCE_PRIMARY_URL count too.
		return !binder.bind(PREFIX + ".primary.url", String.class).isBound();
	}

	static Map<String, Object> properties(ReplicationCluster cluster) {
		Map<String, Object> properties = new LinkedHashMap<>();
		// The sample talks to MariaDB through MySQL Connector/J, which only accepts the mysql scheme.
		properties.put(PREFIX + ".primary.url", cluster.primary().jdbcUrl("mysql"));
		properties.put(PREFIX + ".primary.username", cluster.username());
		properties.put(PREFIX + ".primary.password", cluster.password());
		for (ClusterNode replica : cluster.replicas()) {
			properties.put(PREFIX + ".replicas." + replica.name() + ".url", replica.jdbcUrl("mysql"));
		}
		// Replicas the live page adds are found by discovery: the primary lists them (SHOW SLAVE HOSTS, which needs
		// REPLICATION MASTER ADMIN: the cluster's administrative account) and new pools copy the primary's URL.
		properties.put(PREFIX + ".discovery.enabled", "true");
		properties.put(PREFIX + ".discovery.username", cluster.adminUsername());
		properties.put(PREFIX + ".discovery.password", cluster.adminPassword());
		return properties;
	}

	private static String describe(ReplicationCluster cluster) {
		StringJoiner nodes = new StringJoiner(", ");
		for (ClusterNode node : cluster.nodes()) {
			nodes.add(node.name() + " " + node.jdbcUrl("mysql"));
		}
		return nodes + ", user '" + cluster.username() + "'";
	}

}
