package io.github.replicarouting.it;

import java.time.Duration;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.consistency.ConsistencyContext;
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
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring's JDBC transaction manager remembers {@code Connection.isReadOnly()} from the first read-only transaction
 * and skips {@code setReadOnly} on later ones (spring-framework #35743). Behind the router the first connection's
 * node decides what it remembers: replica pools hand out connections that are read-only already, the primary's are
 * not. Each test starts a new context (a new transaction manager, nothing remembered) and runs the transactions in
 * one order; the node that answered, the session's read-only mode and the refused writes are asked of the servers.
 */
@WithReplicationCluster
abstract class ReadOnlyFlagCacheTests {

	private static final ReplicationCluster cluster = TestCluster.get();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, AopAutoConfiguration.class))
		.withUserConfiguration(Transactions.class);

	/** The JDBC URL scheme of the driver under test. */
	abstract String scheme();

	@Test
	void readOnlyTransactionsAfterAReadWriteOneRunOnReplicas() {
		cluster().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			assertPrimaryReadWrite(transactions.readWrite());
			for (int i = 0; i < 4; i++) {
				assertReplicaReadOnly(transactions.readOnly());
			}
			assertPrimaryReadWrite(transactions.readWrite());
			assertReplicaReadOnly(transactions.readOnly());
		});
	}

	@Test
	void readWriteTransactionsAfterReadOnlyOnesRunOnThePrimaryAndWrite() {
		cluster().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			for (int i = 0; i < 4; i++) {
				assertReplicaReadOnly(transactions.readOnly());
			}
			String name = "cache-rw-after-ro-" + System.nanoTime();
			assertPrimaryReadWrite(transactions.insertInReadWrite(name));
			assertReplicaReadOnly(transactions.readOnly());
			assertPrimaryReadWrite(transactions.readWrite());
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "cache_item", "name = '" + name + "'"))
				.isOne();
		});
	}

	@Test
	void writeInReadOnlyTransactionIsRefusedAfterAReadWriteOne() {
		cluster().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			assertPrimaryReadWrite(transactions.readWrite());
			assertRefused(transactions, "cache-ro-after-rw-");
			assertPrimaryReadWrite(transactions.readWrite());
			assertRefused(transactions, "cache-ro-after-rw-again-");
		});
	}

	@Test
	void writeInReadOnlyTransactionIsRefusedWhenReadOnlyCameFirst() {
		cluster().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			assertRefused(transactions, "cache-ro-first-");
			assertPrimaryReadWrite(transactions.readWrite());
			assertRefused(transactions, "cache-ro-after-ro-rw-");
		});
	}

	/**
	 * The replicas are the writable primary: only the session's read-only mode keeps writes out, whatever order the
	 * transactions come in, and a read-write transaction on a connection of the same node still writes.
	 */
	@Test
	void sessionReadOnlyStopsWritesOnAWritableNodeWhenReadOnlyComesFirst() {
		cluster().withPropertyValues(primaryAsReplicas()).run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			assertRefusedOnWritablePrimary(transactions, "cache-writable-ro-first-");
			assertWritesInReadWrite(transactions, "cache-writable-rw-after-ro-");
			assertThat(transactions.sessionReadOnlyInReadOnly()).isOne();
			assertRefusedOnWritablePrimary(transactions, "cache-writable-ro-after-rw-");
		});
	}

	@Test
	void sessionReadOnlyStopsWritesOnAWritableNodeWhenReadWriteComesFirst() {
		cluster().withPropertyValues(primaryAsReplicas()).run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			assertWritesInReadWrite(transactions, "cache-writable-rw-first-");
			assertThat(transactions.sessionReadOnlyInReadOnly()).isOne();
			assertRefusedOnWritablePrimary(transactions, "cache-writable-ro-after-rw-first-");
			assertWritesInReadWrite(transactions, "cache-writable-rw-after-ro-again-");
		});
	}

	/**
	 * The dangerous order: the manager first sees a replica's connection (read-only already, so it remembers "read-only
	 * by default" and stops calling {@code setReadOnly(true)}), then a read-only transaction is served by the primary
	 * (sticky reads after a write). The primary accepts writes from this account: only a read-only session stops it.
	 */
	@Test
	void readOnlyTransactionOnThePrimaryAfterOneOnAReplicaIsAReadOnlySession() {
		sticky().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			// Writes of the tests before, on this thread, must not make this first read sticky.
			ConsistencyContext.clear();
			try {
				assertReplicaReadOnly(transactions.readOnly());
				assertWritesInReadWrite(transactions, "cache-sticky-write-");
				long[] stickyRead = transactions.readOnly();
				assertThat(stickyRead[0]).as("sticky read on the primary").isEqualTo(cluster.primary().serverId());
				assertThat(stickyRead[1]).as("@@session.transaction_read_only on the primary").isOne();
				assertRefusedOnWritablePrimary(transactions, "cache-sticky-ro-after-replica-");
				assertWritesInReadWrite(transactions, "cache-sticky-write-again-");
			}
			finally {
				ConsistencyContext.clear();
			}
		});
	}

	/**
	 * The other order: the first read-only transaction is served by the primary, then replicas serve them again.
	 */
	@Test
	void readOnlyTransactionOnAReplicaAfterOneOnThePrimaryIsAReadOnlySession() {
		sticky().run((context) -> {
			Transactions transactions = context.getBean(Transactions.class);
			try {
				assertWritesInReadWrite(transactions, "cache-sticky-first-write-");
				long[] stickyRead = transactions.readOnly();
				assertThat(stickyRead[0]).as("sticky read on the primary").isEqualTo(cluster.primary().serverId());
				assertThat(stickyRead[1]).as("@@session.transaction_read_only on the primary").isOne();
				ConsistencyContext.clear();
				assertReplicaReadOnly(transactions.readOnly());
				assertRefused(transactions, "cache-sticky-ro-on-replica-after-primary-");
				assertPrimaryReadWrite(transactions.readWrite());
			}
			finally {
				ConsistencyContext.clear();
			}
		});
	}

	private ApplicationContextRunner sticky() {
		return cluster().withPropertyValues("routing.datasource.read-your-writes=sticky",
				"routing.datasource.sticky-window=1m");
	}

	private static void assertWritesInReadWrite(Transactions transactions, String prefix) {
		String name = prefix + System.nanoTime();
		long[] serverAndReadOnly = transactions.insertInReadWrite(name);
		assertThat(serverAndReadOnly[0]).isEqualTo(cluster.primary().serverId());
		assertThat(serverAndReadOnly[1]).as("@@session.transaction_read_only in a read-write transaction").isZero();
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "cache_item", "name = '" + name + "'"))
			.isOne();
	}

	private ApplicationContextRunner cluster() {
		return this.contextRunner.withPropertyValues(TestCluster.properties(scheme())
			.entrySet()
			.stream()
			.filter((property) -> property.getKey().startsWith("routing."))
			.map((property) -> property.getKey() + "=" + property.getValue())
			.toArray(String[]::new));
	}

	private String[] primaryAsReplicas() {
		String primary = cluster.primary().jdbcUrl(scheme());
		return new String[] { "routing.datasource.replicas.replica-1.url=" + primary,
				"routing.datasource.replicas.replica-2.url=" + primary };
	}

	private static void assertReplicaReadOnly(long[] serverAndReadOnly) {
		RoutingRulesTests.assertReplica(serverAndReadOnly[0]);
		assertThat(serverAndReadOnly[1]).as("@@session.transaction_read_only on the replica").isOne();
	}

	private static void assertPrimaryReadWrite(long[] serverAndReadOnly) {
		RoutingRulesTests.assertPrimary(serverAndReadOnly[0]);
		assertThat(serverAndReadOnly[1]).as("@@session.transaction_read_only on the primary").isZero();
	}

	private static void assertRefused(Transactions transactions, String prefix) {
		String name = prefix + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> transactions.insertInReadOnly(name));
		cluster.awaitReplication(Duration.ofSeconds(10));
		for (String node : new String[] { ReplicationCluster.PRIMARY, "replica-1", "replica-2" }) {
			assertThat(TestCluster.count(cluster, node, "cache_item", "name = '" + name + "'")).as(node).isZero();
		}
	}

	private static void assertRefusedOnWritablePrimary(Transactions transactions, String prefix) {
		String name = prefix + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> transactions.insertInReadOnly(name));
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "cache_item", "name = '" + name + "'"))
			.isZero();
	}

	@Configuration(proxyBeanMethods = false)
	static class Transactions {

		private final JdbcTemplate jdbc;

		Transactions(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Bean
		static String cacheItemTable(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS cache_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
					+ "name VARCHAR(255) NOT NULL)");
			return "cache_item";
		}

		@Transactional(readOnly = true)
		public long[] readOnly() {
			return serverAndReadOnly();
		}

		@Transactional
		public long[] readWrite() {
			return serverAndReadOnly();
		}

		@Transactional
		public long[] insertInReadWrite(String name) {
			this.jdbc.update("INSERT INTO cache_item (name) VALUES (?)", name);
			return serverAndReadOnly();
		}

		@Transactional(readOnly = true)
		public void insertInReadOnly(String name) {
			this.jdbc.update("INSERT INTO cache_item (name) VALUES (?)", name);
		}

		@Transactional(readOnly = true)
		public long sessionReadOnlyInReadOnly() {
			return serverAndReadOnly()[1];
		}

		private long[] serverAndReadOnly() {
			return new long[] { this.jdbc.queryForObject("SELECT @@server_id", Long.class),
					this.jdbc.queryForObject("SELECT @@session.transaction_read_only", Long.class) };
		}

	}

}
