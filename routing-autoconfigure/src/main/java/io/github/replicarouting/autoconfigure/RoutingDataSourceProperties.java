package io.github.replicarouting.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.routing.LoadBalancing;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.core.Ordered;

/**
 * Configuration properties for primary/replica routing.
 *
 * <p>Long only because of JavaBean accessors: every property is one field with its javadoc (and the two renamed keys
 * keep their deprecated accessors).
 *
 * @since 0.1.0
 */
@ConfigurationProperties("routing.datasource")
public class RoutingDataSourceProperties {

	/**
	 * Whether to build the routing DataSource from these properties.
	 */
	private boolean enabled = true;

	/**
	 * Node that takes every write. When its url is not set, spring.datasource.url, username, password and
	 * driver-class-name are used.
	 */
	private Node primary = new Node();

	/**
	 * Read replicas by name, in order. Names become pool names.
	 */
	private Map<String, Replica> replicas = new LinkedHashMap<>();

	/**
	 * Failover candidates for writes by name, in order: writes go to the first of the primary and these that is
	 * reachable and writable (read_only=0).
	 */
	private Map<String, Node> standbys = new LinkedHashMap<>();

	/**
	 * Hikari settings applied to every pool, such as maximum-pool-size; each node's own hikari settings override them.
	 */
	private Map<String, String> hikari = new LinkedHashMap<>();

	/**
	 * Whether reads go to the primary while no replica is in rotation; if false they fail fast naming each replica's
	 * state.
	 */
	private boolean fallbackToPrimary = true;

	/**
	 * Time between two checks of each node by the monitor (reachability, writability, replication lag).
	 */
	private Duration checkInterval = Duration.ofSeconds(1);

	// Set when check-interval itself is configured, so that it wins over the deprecated key.
	private boolean checkIntervalSet;

	/**
	 * Time between two checks of each node by the monitor.
	 */
	private @Nullable Duration lagCheckInterval;

	/**
	 * Largest replication lag at which a replica still serves reads. No limit when not set.
	 */
	private @Nullable Duration maxReplicationLag;

	/**
	 * Whether a read-only method whose replica connection breaks mid-flight is run again on another node, at most once
	 * per replica (each break takes that replica out of rotation). The method body then runs more than once.
	 */
	private boolean retryFailedReads = false;

	/**
	 * Longest wait for a node to give a connection or answer before it counts as down or not answering: each pool's
	 * connection-timeout (unless its hikari settings set one) and the monitor's connect and query timeout.
	 */
	private Duration nodeTimeout = Duration.ofSeconds(2);

	// Set when node-timeout itself is configured, so that it wins over the deprecated key.
	private boolean nodeTimeoutSet;

	/**
	 * Longest wait for a node to give a connection or answer before it counts as down or not answering.
	 */
	private @Nullable Duration failoverTimeout;

	/**
	 * How reads are spread over replicas.
	 */
	private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;

	/**
	 * What a read does after a write in the same scope (thread, HTTP request, client): none, sticky (primary for
	 * sticky-window) or causal (a replica that has applied the write's GTID, else the primary).
	 */
	private ReadYourWritesMode readYourWrites = ReadYourWritesMode.NONE;

	/**
	 * How long reads stay on the primary after a write, in sticky mode.
	 */
	private Duration stickyWindow = Duration.ofSeconds(2);

	/**
	 * Longest wait for a replica to apply a write before the read goes to the primary, in causal mode.
	 */
	private Duration causalWaitTimeout = Duration.ofMillis(100);

	/**
	 * Finding replicas at run time: the writer is asked which replicas are attached to it, and each new one gets a pool
	 * built from {@link #getReplica() a template}. Configured replicas always stay.
	 */
	public static class Discovery {

		/**
		 * Whether to ask the writer which replicas are attached to it (MariaDB SHOW SLAVE HOSTS, MySQL SHOW REPLICAS;
		 * replicas report their address with report_host and report_port) and route to new ones once they are caught
		 * up. Replicas that leave the list are drained and removed.
		 */
		private boolean enabled;

		/**
		 * Time between two questions to the writer. Defaults to check-interval.
		 */
		private @Nullable Duration interval;

		/**
		 * Login user for asking the writer; it needs REPLICATION MASTER ADMIN (MariaDB 10.5.2+) or REPLICATION SLAVE
		 * (MySQL). Defaults to the primary's.
		 */
		private @Nullable String username;

		/**
		 * Login password for asking the writer. Defaults to the primary's.
		 */
		private @Nullable String password;

		/**
		 * How many questions in a row a discovered replica must be missing from the writer's list before it is
		 * drained and removed (a replica restarting is missing for a moment).
		 */
		private int missingChecksBeforeRemoval = 3;

		/**
		 * Template of every discovered replica's pool: url with {host} and {port} placeholders (defaults to the
		 * primary's URL with its host and port replaced), username and password (default: the primary's), hikari
		 * settings and weight.
		 */
		private final Replica replica = new Replica();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public int getMissingChecksBeforeRemoval() {
			return this.missingChecksBeforeRemoval;
		}

		public void setMissingChecksBeforeRemoval(int missingChecksBeforeRemoval) {
			this.missingChecksBeforeRemoval = missingChecksBeforeRemoval;
		}

		public Replica getReplica() {
			return this.replica;
		}

	}

	/**
	 * How the last write's token travels between requests of one client.
	 */
	private final ConsistencyTokenSettings consistencyToken = new ConsistencyTokenSettings();

	private final Discovery discovery = new Discovery();

	/**
	 * Order of the routing interceptor. It must run before the transaction interceptor, whose default order is the
	 * lowest precedence.
	 */
	private int interceptorOrder = Ordered.LOWEST_PRECEDENCE - 100;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Node getPrimary() {
		return this.primary;
	}

	public void setPrimary(Node primary) {
		this.primary = primary;
	}

	public Map<String, Replica> getReplicas() {
		return this.replicas;
	}

	public void setReplicas(Map<String, Replica> replicas) {
		this.replicas = replicas;
	}

	public Map<String, Node> getStandbys() {
		return this.standbys;
	}

	public void setStandbys(Map<String, Node> standbys) {
		this.standbys = standbys;
	}

	public Map<String, String> getHikari() {
		return this.hikari;
	}

	public void setHikari(Map<String, String> hikari) {
		this.hikari = hikari;
	}

	public boolean isFallbackToPrimary() {
		return this.fallbackToPrimary;
	}

	public void setFallbackToPrimary(boolean fallbackToPrimary) {
		this.fallbackToPrimary = fallbackToPrimary;
	}

	public Duration getCheckInterval() {
		return (this.checkIntervalSet || this.lagCheckInterval == null) ? this.checkInterval : this.lagCheckInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
		this.checkIntervalSet = true;
	}

	/**
	 * The interval between two checks of each node.
	 * @return the interval
	 * @deprecated since 0.1.0 for {@link #getCheckInterval()}: the interval paces every check, not only the lag's
	 */
	@Deprecated(since = "0.1.0")
	@DeprecatedConfigurationProperty(replacement = "routing.datasource.check-interval",
			reason = "It paces every check of a node, not only the replication lag's.", since = "0.1.0")
	public Duration getLagCheckInterval() {
		return getCheckInterval();
	}

	@Deprecated(since = "0.1.0")
	public void setLagCheckInterval(Duration lagCheckInterval) {
		this.lagCheckInterval = lagCheckInterval;
	}

	public @Nullable Duration getMaxReplicationLag() {
		return this.maxReplicationLag;
	}

	public void setMaxReplicationLag(@Nullable Duration maxReplicationLag) {
		this.maxReplicationLag = maxReplicationLag;
	}

	public boolean isRetryFailedReads() {
		return this.retryFailedReads;
	}

	public void setRetryFailedReads(boolean retryFailedReads) {
		this.retryFailedReads = retryFailedReads;
	}

	public Duration getNodeTimeout() {
		return (this.nodeTimeoutSet || this.failoverTimeout == null) ? this.nodeTimeout : this.failoverTimeout;
	}

	public void setNodeTimeout(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
		this.nodeTimeoutSet = true;
	}

	/**
	 * The longest wait for a node.
	 * @return the timeout
	 * @deprecated since 0.1.0 for {@link #getNodeTimeout()}: it is a connect and answer timeout, used with or without
	 * a failover
	 */
	@Deprecated(since = "0.1.0")
	@DeprecatedConfigurationProperty(replacement = "routing.datasource.node-timeout",
			reason = "It is the connect and answer timeout of every node, not a failover setting.", since = "0.1.0")
	public Duration getFailoverTimeout() {
		return getNodeTimeout();
	}

	@Deprecated(since = "0.1.0")
	public void setFailoverTimeout(Duration failoverTimeout) {
		this.failoverTimeout = failoverTimeout;
	}

	public LoadBalancing getLoadBalancing() {
		return this.loadBalancing;
	}

	public void setLoadBalancing(LoadBalancing loadBalancing) {
		this.loadBalancing = loadBalancing;
	}

	public ReadYourWritesMode getReadYourWrites() {
		return this.readYourWrites;
	}

	public void setReadYourWrites(ReadYourWritesMode readYourWrites) {
		this.readYourWrites = readYourWrites;
	}

	public Duration getStickyWindow() {
		return this.stickyWindow;
	}

	public void setStickyWindow(Duration stickyWindow) {
		this.stickyWindow = stickyWindow;
	}

	public Duration getCausalWaitTimeout() {
		return this.causalWaitTimeout;
	}

	public void setCausalWaitTimeout(Duration causalWaitTimeout) {
		this.causalWaitTimeout = causalWaitTimeout;
	}

	public ConsistencyTokenSettings getConsistencyToken() {
		return this.consistencyToken;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	public int getInterceptorOrder() {
		return this.interceptorOrder;
	}

	public void setInterceptorOrder(int interceptorOrder) {
		this.interceptorOrder = interceptorOrder;
	}

	/**
	 * How the last write's token travels between HTTP requests of one client (the token itself is the
	 * {@code consistency.ConsistencyToken} record; these are its settings).
	 */
	public static class ConsistencyTokenSettings {

		/**
		 * Cookie that carries the token.
		 */
		private String cookieName = "routing-consistency";

		/**
		 * Whether the cookie is marked Secure (sent over HTTPS only). When not set, it is on secure requests: HTTPS,
		 * or a proxy's X-Forwarded-Proto=https with server.forward-headers-strategy set.
		 */
		private @Nullable Boolean cookieSecure;

		/**
		 * Request and response header that carries the token (for clients without cookies).
		 */
		private String headerName = "X-Routing-Consistency";

		/**
		 * Secret that signs tokens, at least 16 bytes, the same on every instance. A random one is used when not
		 * set, and tokens then only hold on the instance that issued them.
		 */
		private @Nullable String secret;

		/**
		 * How long a token is honoured after its write.
		 */
		private Duration maxAge = Duration.ofSeconds(60);

		public String getCookieName() {
			return this.cookieName;
		}

		public void setCookieName(String cookieName) {
			this.cookieName = cookieName;
		}

		public @Nullable Boolean getCookieSecure() {
			return this.cookieSecure;
		}

		public void setCookieSecure(@Nullable Boolean cookieSecure) {
			this.cookieSecure = cookieSecure;
		}

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Connection settings of one database node.
	 */
	public static class Node {

		/**
		 * JDBC URL of the node.
		 */
		private @Nullable String url;

		/**
		 * Login user. Replicas and standbys default to the primary's.
		 */
		private @Nullable String username;

		/**
		 * Login password. Replicas and standbys default to the primary's.
		 */
		private @Nullable String password;

		/**
		 * Fully qualified name of the JDBC driver. Auto-detected from the URL by default.
		 */
		private @Nullable String driverClassName;

		/**
		 * Hikari settings for this node's pool, overriding routing.datasource.hikari.
		 */
		private Map<String, String> hikari = new LinkedHashMap<>();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getDriverClassName() {
			return this.driverClassName;
		}

		public void setDriverClassName(@Nullable String driverClassName) {
			this.driverClassName = driverClassName;
		}

		public Map<String, String> getHikari() {
			return this.hikari;
		}

		public void setHikari(Map<String, String> hikari) {
			this.hikari = hikari;
		}

	}

	/**
	 * Connection settings of one read replica.
	 */
	public static class Replica extends Node {

		/**
		 * Relative share of reads under weighted load balancing.
		 */
		private int weight = 1;

		public int getWeight() {
			return this.weight;
		}

		public void setWeight(int weight) {
			this.weight = weight;
		}

	}

}
