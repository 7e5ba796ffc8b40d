package io.github.replicarouting.topology;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A replica to add at run time with {@link RoutingReplicas#add}: what {@code routing.datasource.replicas.<name>.*}
 * would say of it.
 *
 * @param name the node name, also its pool name (letters, digits, {@code .}, {@code _} and {@code -})
 * @param url its JDBC URL
 * @param username login user, or {@code null} for the primary's
 * @param password login password, or {@code null} for the primary's
 * @param driverClassName the JDBC driver class, or {@code null} to detect it from the URL
 * @param hikari Hikari settings of its pool in kebab-case (over {@code routing.datasource.hikari}), possibly empty
 * @param weight its share of reads under weighted load balancing, at least 1
 * @since 0.1.0
 */
public record ReplicaDefinition(String name, String url, @Nullable String username, @Nullable String password,
		@Nullable String driverClassName, Map<String, String> hikari, int weight) {

	/**
	 * Normalize the Hikari settings to an unmodifiable copy.
	 */
	public ReplicaDefinition {
		hikari = (hikari != null) ? Map.copyOf(hikari) : Map.of();
	}

	/**
	 * A replica with the primary's credentials, default pool settings and weight 1.
	 * @param name the node name
	 * @param url its JDBC URL
	 * @return the definition
	 */
	public static ReplicaDefinition of(String name, String url) {
		return new ReplicaDefinition(name, url, null, null, null, Map.of(), 1);
	}

	@Override
	public String toString() {
		return "ReplicaDefinition[name=" + this.name + ", url=" + Secrets.mask(this.url) + ", weight=" + this.weight
				+ "]";
	}

}
