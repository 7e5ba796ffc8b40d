package io.github.replicarouting.it;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When the primary serves the reads of read-only scopes (here: both replicas unreachable, {@code fallback-to-primary}),
 * the server itself refuses writes in those scopes, through MariaDB Connector/J, which does not send
 * {@code Connection.setReadOnly} to the server.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
class ReadsOnWriterTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	ServerIds serverIds;

	@Autowired
	Writes writes;

	@Autowired
	RoutingDataSource dataSource;

	@DynamicPropertySource
	static void routing(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
		// Nothing listens on port 1: both replicas are refused at once and leave rotation.
		registry.add("routing.datasource.replicas.replica-1.url", () -> "jdbc:mariadb://127.0.0.1:1/app");
		registry.add("routing.datasource.replicas.replica-2.url", () -> "jdbc:mariadb://127.0.0.1:1/app");
		registry.add("routing.datasource.fallback-to-primary", () -> "true");
	}

	@Test
	void readsFallBackToThePrimaryInReadOnlySessions() {
		for (int i = 0; i < 4; i++) {
			assertThat(this.serverIds.readOnly()).isEqualTo(cluster.primary().serverId());
			assertThat(this.serverIds.readOnlyTransaction()).isEqualTo(cluster.primary().serverId());
			assertThat(this.serverIds.sessionReadOnlyFlag()).as("@@session.transaction_read_only").isEqualTo(1);
		}
		assertThat(this.dataSource.getPrimary().getReadOnlyDataSource()).isInstanceOfSatisfying(HikariDataSource.class,
				(pool) -> assertThat(pool.getPoolName()).isEqualTo("primary-read-only"));
	}

	@Test
	void writeInReadOnlyScopeServedByThePrimaryIsRefusedAndWritesNothing() {
		String jdbcName = "fallback-jdbc-" + System.nanoTime();
		String jpaName = "fallback-jpa-" + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> this.writes.insertWithJdbcInReadOnly(jdbcName))
			.withMessageContaining("Writes.insertWithJdbcInReadOnly()");
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> this.writes.insertWithJdbcInReadOnlyTransaction(jpaName))
			.withMessageContaining("Writes.insertWithJdbcInReadOnlyTransaction()");
		cluster.awaitReplication(Duration.ofSeconds(10));
		for (ClusterNode node : cluster.nodes()) {
			assertThat(TestCluster.count(cluster, node.name(), "item",
					"name IN ('" + jdbcName + "', '" + jpaName + "')"))
				.as(node.name())
				.isZero();
		}
	}

	@Test
	void writesStillGoToThePrimary() {
		String name = "fallback-write-" + System.nanoTime();
		this.writes.save(name);
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'")).isOne();
		assertThat(this.serverIds.insertReturningServerId(name + "-2")).isEqualTo(cluster.primary().serverId());
	}

}
