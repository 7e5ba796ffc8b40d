package io.github.replicarouting.it;

import java.time.Duration;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The shared embedded cluster, prepared for the routing tests: every node holds a {@code node_marker} row with its own
 * name, written outside replication, so a query tells which node answered.
 */
final class TestCluster {

	private static boolean marked;

	private TestCluster() {
	}

	static synchronized ReplicationCluster get() {
		ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();
		if (!marked) {
			cluster.execute(ReplicationCluster.PRIMARY, "CREATE TABLE IF NOT EXISTS " + cluster.database()
					+ ".node_marker (id BIGINT PRIMARY KEY, node VARCHAR(64) NOT NULL)");
			cluster.awaitReplication(Duration.ofSeconds(30));
			for (ClusterNode node : cluster.nodes()) {
				cluster.execute(node.name(), "SET SESSION sql_log_bin = 0",
						"REPLACE INTO " + cluster.database() + ".node_marker VALUES (1, '" + node.name() + "')");
			}
			marked = true;
		}
		return cluster;
	}

	/**
	 * Point routing.datasource at the cluster: primary and both replicas, through the given driver.
	 */
	static void register(DynamicPropertyRegistry registry, String scheme) {
		registerPrimary(registry, scheme);
		for (ClusterNode replica : get().replicas()) {
			registry.add("routing.datasource.replicas." + replica.name() + ".url", () -> replica.jdbcUrl(scheme));
		}
	}

	/**
	 * The same as {@link #register}, without replicas.
	 */
	static void registerPrimary(DynamicPropertyRegistry registry, String scheme) {
		ReplicationCluster cluster = get();
		registry.add("routing.datasource.primary.url", () -> cluster.primary().jdbcUrl(scheme));
		registry.add("routing.datasource.primary.username", cluster::username);
		registry.add("routing.datasource.primary.password", cluster::password);
		registry.add("routing.datasource.hikari.maximum-pool-size", () -> "4");
		registry.add("spring.jpa.hibernate.ddl-auto", () -> "update");
		registry.add("spring.jpa.database-platform", () -> "org.hibernate.dialect.MariaDBDialect");
		registry.add("spring.sql.init.mode", () -> "always");
		registry.add("spring.sql.init.schema-locations", () -> "classpath:routing-init.sql");
	}

	/**
	 * The same settings as {@link #register}, for an application started by the test itself.
	 */
	static java.util.Map<String, Object> properties(String scheme) {
		java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
		register(new DynamicPropertyRegistry() {

			@Override
			public void add(String name, java.util.function.Supplier<Object> valueSupplier) {
				properties.put(name, valueSupplier.get());
			}

		}, scheme);
		properties.put("spring.main.web-application-type", "none");
		properties.put("spring.sql.init.mode", "never");
		return properties;
	}

	static long count(ReplicationCluster cluster, String node, String table, String where) {
		return cluster.queryLong(node, "SELECT COUNT(*) FROM " + cluster.database() + "." + table + " WHERE " + where);
	}

}
