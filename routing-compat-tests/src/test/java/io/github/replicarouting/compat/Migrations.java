package io.github.replicarouting.compat;

import java.time.Duration;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a migration tool left on every node, asked of each server: the table, its history and where it ran.
 */
final class Migrations {

	private Migrations() {
	}

	/**
	 * Every node (the replicas through replication) has {@code table}, one row in it that the primary wrote, and
	 * {@code migrations} successful rows in {@code historyTable}.
	 */
	static void assertMigratedOnPrimaryOnly(String table, String historyTable, String historyWhere, long migrations) {
		ReplicationCluster cluster = CompatCluster.get();
		cluster.awaitReplication(Duration.ofSeconds(30));
		long primary = cluster.primary().serverId();
		for (ClusterNode node : cluster.nodes()) {
			String schema = cluster.database();
			assertThat(cluster.queryLong(node.name(), "SELECT COUNT(*) FROM information_schema.tables "
					+ "WHERE table_schema = '" + schema + "' AND table_name = '" + table + "'"))
				.as("%s exists on %s", table, node.name())
				.isOne();
			assertThat(cluster.queryLong(node.name(),
					"SELECT COUNT(*) FROM " + schema + "." + historyTable + " WHERE " + historyWhere))
				.as("one history row per migration on %s", node.name())
				.isEqualTo(migrations);
			assertThat(cluster.queryLong(node.name(), "SELECT COUNT(*) FROM " + schema + "." + table))
				.as("rows the data migration inserted, seen on %s", node.name())
				.isOne();
			assertThat(cluster.queryLong(node.name(), "SELECT MAX(migrated_on) FROM " + schema + "." + table))
				.as("@@server_id of the node that ran the data migration, seen on %s", node.name())
				.isEqualTo(primary);
		}
	}

}
