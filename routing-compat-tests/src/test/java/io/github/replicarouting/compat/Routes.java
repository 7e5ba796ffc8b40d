package io.github.replicarouting.compat;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing checks every data access tool's test makes, each answer asked of the server.
 */
final class Routes {

	private Routes() {
	}

	/**
	 * {@code readOnly} (a {@code @ReadOnly} service method) answers from a replica and {@code readWrite} (a plain
	 * {@code @Transactional} one) from the primary, a few times over in turn.
	 */
	static void assertReadsOnReplicasWritesOnPrimary(LongSupplier readOnly, LongSupplier readWrite) {
		for (int i = 0; i < 3; i++) {
			assertThat(CompatCluster.isReplica(readOnly.getAsLong())).as("read-only method on a replica").isTrue();
			assertThat(CompatCluster.isPrimary(readWrite.getAsLong())).as("read-write method on the primary").isTrue();
		}
	}

	/**
	 * {@code insert} (a read-write service method) writes the row on the primary, and after replication
	 * {@code countInReadOnly} (a {@code @ReadOnly} one, on a replica) sees it.
	 */
	static void assertWriteOnPrimaryReadBackOnReplica(String table, ToLongFunction<String> insert,
			ToLongFunction<String> countInReadOnly) {
		ReplicationCluster cluster = CompatCluster.get();
		String name = table + "-" + System.nanoTime();
		assertThat(CompatCluster.isPrimary(insert.applyAsLong(name))).as("insert on the primary").isTrue();
		assertThat(cluster.queryLong(ReplicationCluster.PRIMARY,
				"SELECT COUNT(*) FROM " + cluster.database() + "." + table + " WHERE name = '" + name + "'"))
			.isOne();
		cluster.awaitReplication(Duration.ofSeconds(30));
		for (ClusterNode replica : cluster.replicas()) {
			assertThat(cluster.queryLong(replica.name(),
					"SELECT COUNT(*) FROM " + cluster.database() + "." + table + " WHERE name = '" + name + "'"))
				.as("replicated to %s", replica.name())
				.isOne();
		}
		assertThat(countInReadOnly.applyAsLong(name)).isOne();
	}

}
