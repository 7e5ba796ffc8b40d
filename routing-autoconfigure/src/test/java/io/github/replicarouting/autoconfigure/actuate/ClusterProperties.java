package io.github.replicarouting.autoconfigure.actuate;

import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;

/**
 * {@code routing.datasource.*} pointing at the shared embedded cluster: the primary and both replicas.
 */
final class ClusterProperties {

	private ClusterProperties() {
	}

	static String[] of() {
		ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();
		return new String[] { "routing.datasource.primary.url=" + cluster.primary().jdbcUrl(),
				"routing.datasource.primary.username=" + cluster.username(),
				"routing.datasource.primary.password=" + cluster.password(),
				"routing.datasource.replicas.replica-1.url=" + cluster.replicas().get(0).jdbcUrl(),
				"routing.datasource.replicas.replica-2.url=" + cluster.replicas().get(1).jdbcUrl() };
	}

}
