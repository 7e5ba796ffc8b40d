package io.github.replicarouting.it;

import java.util.Map;

import javax.sql.DataSource;

import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction begun inside a method that joined (or suspended, or nested in) another is routed by its own definition,
 * never by the route of the enclosing method: a programmatic {@code REQUIRES_NEW} read-write transaction runs on the
 * primary, a read-only one on a replica. Proved by asking the server, and by counting rows on it.
 */
@WithReplicationCluster
class TransactionRouteTests {

	private static final ReplicationCluster cluster = TestCluster.get();

	private final ApplicationContextRunner jdbcTransactions = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, AopAutoConfiguration.class))
		.withUserConfiguration(NestedTransactions.class)
		.withPropertyValues(TestCluster.properties("mariadb")
			.entrySet()
			.stream()
			.filter((property) -> property.getKey().startsWith("routing."))
			.map((property) -> property.getKey() + "=" + property.getValue())
			.toArray(String[]::new));

	@Test
	void newReadWriteTransactionInsideJoinedReadOnlyMethodRunsOnPrimary() {
		this.jdbcTransactions.run((context) -> {
			NestedTransactions tx = context.getBean(NestedTransactions.class);
			TransactionTemplate readWrite = requiresNew(context.getBean(PlatformTransactionManager.class), false);
			String name = "joined-read-only-" + System.nanoTime();
			long server = tx.readOnly(() -> tx.readOnly(() -> readWrite.execute((status) -> tx.insertReturningServerId(name))));
			RoutingRulesTests.assertPrimary(server);
			assertWrittenOnceOnPrimary(name);
		});
	}

	@Test
	void newReadOnlyTransactionInsideJoinedReadWriteMethodRunsOnReplica() {
		this.jdbcTransactions.run((context) -> {
			NestedTransactions tx = context.getBean(NestedTransactions.class);
			TransactionTemplate readOnly = requiresNew(context.getBean(PlatformTransactionManager.class), true);
			RoutingRulesTests.assertReplica(tx.readWrite(() -> tx.readWrite(() -> readOnly.execute((status) -> tx.serverId()))));
		});
	}

	@Test
	void newReadWriteTransactionInsideNestedReadOnlyMethodRunsOnPrimary() {
		this.jdbcTransactions.run((context) -> {
			NestedTransactions tx = context.getBean(NestedTransactions.class);
			TransactionTemplate readWrite = requiresNew(context.getBean(PlatformTransactionManager.class), false);
			String name = "nested-read-only-" + System.nanoTime();
			long server = tx.readWrite(() -> tx.nestedReadOnly(() -> readWrite.execute((status) -> tx.insertReturningServerId(name))));
			RoutingRulesTests.assertPrimary(server);
			assertWrittenOnceOnPrimary(name);
		});
	}

	@Test
	void newTransactionsInsideNotSupportedMethodsAreRoutedByTheirOwnDefinition() {
		this.jdbcTransactions.run((context) -> {
			NestedTransactions tx = context.getBean(NestedTransactions.class);
			PlatformTransactionManager transactionManager = context.getBean(PlatformTransactionManager.class);
			TransactionTemplate readWrite = requiresNew(transactionManager, false);
			TransactionTemplate readOnly = requiresNew(transactionManager, true);
			String name = "not-supported-read-only-" + System.nanoTime();
			RoutingRulesTests.assertPrimary(tx.readWrite(
					() -> tx.notSupportedReadOnly(() -> readWrite.execute((status) -> tx.insertReturningServerId(name)))));
			assertWrittenOnceOnPrimary(name);
			RoutingRulesTests.assertReplica(tx.readWrite(() -> tx.notSupported(() -> readOnly.execute((status) -> tx.serverId()))));
		});
	}

	@Test
	void newTransactionsUnderJpaAndASecondTransactionManagerAreRoutedByTheirOwnDefinition() {
		Map<String, Object> properties = TestCluster.properties("mariadb");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RoutingTestApplication.class)
			.properties(properties)
			.run()) {
			NestedTransactions tx = context.getBean(NestedTransactions.class);
			PlatformTransactionManager jpa = context.getBean(PlatformTransactionManager.class);
			assertThat(jpa).isInstanceOf(JpaTransactionManager.class);
			PlatformTransactionManager jdbc = new JdbcTransactionManager(context.getBean(DataSource.class));
			RoutingRulesTests.assertReplica(
					tx.readWrite(() -> tx.readWrite(() -> requiresNew(jpa, true).execute((status) -> tx.serverId()))));
			// The second manager's transactions, nested in each other. (Its transactions do not nest in the JPA
			// manager's: it reuses or ignores them, whatever the router does.)
			TransactionTemplate readOnly = new TransactionTemplate(jdbc);
			readOnly.setReadOnly(true);
			String name = "second-manager-" + System.nanoTime();
			long[] servers = readOnly.execute((outer) -> new long[] { tx.serverId(),
					requiresNew(jdbc, false).execute((status) -> tx.insertReturningServerId(name)) });
			RoutingRulesTests.assertReplica(servers[0]);
			RoutingRulesTests.assertPrimary(servers[1]);
			assertWrittenOnceOnPrimary(name);
		}
	}

	private static TransactionTemplate requiresNew(PlatformTransactionManager transactionManager, boolean readOnly) {
		TransactionTemplate template = new TransactionTemplate(transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		template.setReadOnly(readOnly);
		return template;
	}

	private static void assertWrittenOnceOnPrimary(String name) {
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'")).isOne();
	}

}
