package io.github.replicarouting.test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TwoStandbysTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void writesOnStandbyOneReachStandbyTwoThroughThePrimary() throws SQLException {
		long started = System.nanoTime();
		try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2).replicas(1).start()) {
			System.out.printf("4-node cluster (primary, 2 standbys, 1 replica) started in %d ms%n",
					(System.nanoTime() - started) / 1_000_000);
			assertThat(cluster.nodes()).extracting(ClusterNode::name)
				.containsExactly("primary", "standby-1", "standby-2", "replica-1");
			assertThat(cluster.standbys()).extracting(ClusterNode::role).containsOnly(ClusterRole.STANDBY);
			assertThat(cluster.replicationStatus("standby-2").get("Master_Port"))
				.isEqualTo(String.valueOf(cluster.primary().port()));
			ClusterNode primary = cluster.primary();
			ClusterNode standby = cluster.node("standby-1");
			AppSql.execute(cluster, primary, "CREATE TABLE s (id BIGINT PRIMARY KEY)", "INSERT INTO s VALUES (1)");
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(primary.name(), true);
			cluster.awaitReplication(TIMEOUT);
			cluster.setReadOnly(standby.name(), false);
			AppSql.execute(cluster, standby, "INSERT INTO s VALUES (2)");
			// Waits on the primary and the other nodes, though the writable node is now standby-1.
			cluster.awaitReplication(TIMEOUT);
			for (ClusterNode node : cluster.nodes()) {
				assertThat(AppSql.ids(cluster, node, "s")).as(node.name()).isEqualTo(List.of(1L, 2L));
			}
			// A paused node is skipped, and catches up when resumed.
			cluster.pauseReplication("standby-2");
			AppSql.execute(cluster, standby, "INSERT INTO s VALUES (3)");
			cluster.awaitReplication(TIMEOUT);
			assertThat(AppSql.ids(cluster, cluster.node("standby-2"), "s")).isEqualTo(List.of(1L, 2L));
			assertThat(AppSql.ids(cluster, cluster.node("replica-1"), "s")).isEqualTo(List.of(1L, 2L, 3L));
			cluster.resumeReplication("standby-2");
			cluster.awaitReplication(TIMEOUT);
			assertThat(AppSql.ids(cluster, cluster.node("standby-2"), "s")).isEqualTo(List.of(1L, 2L, 3L));
			AppSql.assertReplicationHealthy(cluster);
		}
	}

}
