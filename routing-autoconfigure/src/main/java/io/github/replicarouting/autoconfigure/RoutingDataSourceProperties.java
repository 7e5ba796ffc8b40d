package io.github.replicarouting.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.replicarouting.routing.LoadBalancing;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * Configuration properties for primary/replica routing.
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
	 * Node that takes every write.
	 */
	private Node primary = new Node();

	/**
	 * Read replicas by name, in order. Names become pool names.
	 */
	private Map<String, Replica> replicas = new LinkedHashMap<>();

	/**
	 * Hikari settings applied to every pool, such as maximum-pool-size; each node's own hikari settings override them.
	 */
	private Map<String, String> hikari = new LinkedHashMap<>();

	/**
	 * How reads are spread over replicas.
	 */
	private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;

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

	public Map<String, String> getHikari() {
		return this.hikari;
	}

	public void setHikari(Map<String, String> hikari) {
		this.hikari = hikari;
	}

	public LoadBalancing getLoadBalancing() {
		return this.loadBalancing;
	}

	public void setLoadBalancing(LoadBalancing loadBalancing) {
		this.loadBalancing = loadBalancing;
	}

	public int getInterceptorOrder() {
		return this.interceptorOrder;
	}

	public void setInterceptorOrder(int interceptorOrder) {
		this.interceptorOrder = interceptorOrder;
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
		 * Login user. Replicas default to the primary's.
		 */
		private @Nullable String username;

		/**
		 * Login password. Replicas default to the primary's.
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
