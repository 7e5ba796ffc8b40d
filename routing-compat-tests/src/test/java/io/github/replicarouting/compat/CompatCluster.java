package io.github.replicarouting.compat;

import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;

/**
 * The shared embedded cluster as {@code routing.datasource.*} settings for an application of these tests.
 */
final class CompatCluster {

	private CompatCluster() {
	}

	static ReplicationCluster get() {
		return ReplicationClusterExtension.sharedCluster();
	}

	/**
	 * Primary and both replicas, through MariaDB Connector/J; no web server; no migration tool unless a test's
	 * {@code extra} settings enable it (they come last, so they win).
	 */
	static String[] properties(String... extra) {
		ReplicationCluster cluster = get();
		List<String> properties = new ArrayList<>();
		properties.add("routing.datasource.primary.url=" + cluster.primary().jdbcUrl("mariadb"));
		properties.add("routing.datasource.primary.username=" + cluster.username());
		properties.add("routing.datasource.primary.password=" + cluster.password());
		properties.add("routing.datasource.hikari.maximum-pool-size=4");
		for (ClusterNode replica : cluster.replicas()) {
			properties.add("routing.datasource.replicas." + replica.name() + ".url=" + replica.jdbcUrl("mariadb"));
		}
		properties.add("spring.main.web-application-type=none");
		properties.add("spring.flyway.enabled=false");
		properties.add("spring.liquibase.enabled=false");
		properties.addAll(List.of(extra));
		return properties.toArray(String[]::new);
	}

	static boolean isReplica(long serverId) {
		String node = get().nodeName(serverId);
		return get().replicas().stream().anyMatch((replica) -> replica.name().equals(node));
	}

	static boolean isPrimary(long serverId) {
		return ReplicationCluster.PRIMARY.equals(get().nodeName(serverId));
	}

}
