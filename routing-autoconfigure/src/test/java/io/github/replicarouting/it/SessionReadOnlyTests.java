package io.github.replicarouting.it;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A "replica" that is really the writable primary ({@code read_only=0}) and an account with every privilege on the
 * schema: only the session's read-only mode can stop the write, and it must.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
abstract class SessionReadOnlyTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	Writes writes;

	@Autowired
	ServerIds serverIds;

	static void registerPrimaryAsReplica(DynamicPropertyRegistry registry, String scheme) {
		TestCluster.register(registry, scheme);
		registry.add("routing.datasource.replicas.replica-1.url", () -> cluster.primary().jdbcUrl(scheme));
		registry.add("routing.datasource.replicas.replica-2.url", () -> cluster.primary().jdbcUrl(scheme));
	}

	@Test
	void readsReachTheWritableNodeThroughReplicaPools() {
		assertThat(this.serverIds.readOnly()).isEqualTo(cluster.primary().serverId());
		assertThat(cluster.queryString(ReplicationCluster.PRIMARY, "SELECT @@global.read_only")).isEqualTo("0");
	}

	@Test
	void writeThroughReplicaPoolIsRejectedBySessionReadOnly() {
		String jdbcName = "session-jdbc-" + System.nanoTime();
		String jpaName = "session-jpa-" + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> this.writes.insertWithJdbcInReadOnly(jdbcName))
			.withMessageContaining("Writes.insertWithJdbcInReadOnly()");
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> this.writes.saveWithRepositoryInReadOnly(jpaName))
			.withMessageContaining("Writes.saveWithRepositoryInReadOnly()");
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item",
				"name IN ('" + jdbcName + "', '" + jpaName + "')"))
			.isZero();
	}

	@Test
	void serverReportsTheReplicaSessionAsReadOnly() {
		assertThat(this.serverIds.sessionReadOnlyFlag()).isEqualTo(1);
	}

}
