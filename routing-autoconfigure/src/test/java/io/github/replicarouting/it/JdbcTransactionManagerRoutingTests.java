package io.github.replicarouting.it;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The routing rules with Spring's JDBC transaction manager (no JPA), which takes its connection when it begins a
 * transaction, before it publishes the read-only flag. Proved by asking the server which node answered.
 */
@WithReplicationCluster
class JdbcTransactionManagerRoutingTests {

	private static final ReplicationCluster cluster = TestCluster.get();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, AopAutoConfiguration.class))
		.withUserConfiguration(Reads.class)
		.withPropertyValues(TestCluster.properties("mariadb")
			.entrySet()
			.stream()
			.filter((property) -> property.getKey().startsWith("routing."))
			.map((property) -> property.getKey() + "=" + property.getValue())
			.toArray(String[]::new));

	@Test
	void transactionManagerIsTheJdbcOne() {
		this.contextRunner.run((context) -> assertThat(context.getBean(PlatformTransactionManager.class))
			.isInstanceOf(JdbcTransactionManager.class));
	}

	@Test
	void readOnlyTransactionsRunOnReplicas() {
		this.contextRunner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			for (int i = 0; i < 4; i++) {
				assertReplica(reads.readOnlyTransaction());
				assertReplica(reads.readOnlyAnnotatedTransaction());
				assertPrimary(reads.readWriteTransaction());
			}
		});
	}

	@Test
	void newReadWriteTransactionInsideReadOnlyTransactionRunsOnPrimary() {
		this.contextRunner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			String name = "jdbc-requires-new-" + System.nanoTime();
			long[] servers = reads.readOnlyTransactionThen(() -> reads.insertInNewTransaction(name));
			assertPrimary(servers[0]);
			assertReplica(servers[1]);
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "jdbc_item", "name = '" + name + "'"))
				.isOne();
		});
	}

	@Test
	void readOnlyMethodJoiningReadWriteTransactionStaysOnPrimary() {
		this.contextRunner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			assertPrimary(reads.readWriteTransactionThen(reads::readOnlyTransaction));
		});
	}

	@Test
	void programmaticReadOnlyTransactionRunsOnReplica() {
		this.contextRunner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			readOnly.setReadOnly(true);
			for (int i = 0; i < 4; i++) {
				assertReplica(readOnly.execute((status) -> reads.serverId()));
			}
		});
	}

	@Test
	void writeInReadOnlyTransactionFailsClearlyAndWritesNothing() {
		this.contextRunner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			String name = "jdbc-rejected-" + System.nanoTime();
			assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
				.isThrownBy(() -> reads.insertInReadOnlyTransaction(name))
				.withMessageContaining("Reads.insertInReadOnlyTransaction()");
			cluster.awaitReplication(Duration.ofSeconds(10));
			for (String node : new String[] { ReplicationCluster.PRIMARY, "replica-1", "replica-2" }) {
				assertThat(TestCluster.count(cluster, node, "jdbc_item", "name = '" + name + "'")).as(node).isZero();
			}
		});
	}

	private static void assertReplica(long serverId) {
		RoutingRulesTests.assertReplica(serverId);
	}

	private static void assertPrimary(long serverId) {
		RoutingRulesTests.assertPrimary(serverId);
	}

	@Configuration(proxyBeanMethods = false)
	static class Reads {

		private final JdbcTemplate jdbc;

		Reads(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Bean
		static String itemTable(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS jdbc_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
					+ "name VARCHAR(255) NOT NULL)");
			return "jdbc_item";
		}

		@Transactional(readOnly = true)
		public long readOnlyTransaction() {
			return serverId();
		}

		@ReadOnly
		@Transactional
		public long readOnlyAnnotatedTransaction() {
			return serverId();
		}

		@Transactional
		public long readWriteTransaction() {
			return serverId();
		}

		@Transactional
		public long readWriteTransactionThen(LongSupplier next) {
			serverId();
			return next.getAsLong();
		}

		@Transactional(readOnly = true)
		public long[] readOnlyTransactionThen(LongSupplier next) {
			long inner = next.getAsLong();
			return new long[] { inner, serverId() };
		}

		@Transactional(propagation = Propagation.REQUIRES_NEW)
		public long insertInNewTransaction(String name) {
			this.jdbc.update("INSERT INTO jdbc_item (name) VALUES (?)", name);
			return serverId();
		}

		@Transactional(readOnly = true)
		public void insertInReadOnlyTransaction(String name) {
			this.jdbc.update("INSERT INTO jdbc_item (name) VALUES (?)", name);
		}

		public long serverId() {
			return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
		}

	}

}
