package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;
import io.github.replicarouting.routing.RoutingReason;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.replicarouting.it.RoutingRulesTests.assertPrimary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every way a node taking writes serves a read-only scope (no replica, fallback, sticky, causal, nesting inside
 * {@code @UsePrimary}), through an account with every privilege and with the user's own {@code connection-init-sql}:
 * the session is read-only all the same, so a write there is refused, reported as
 * {@link WriteInReadOnlyScopeException}, and writes nothing. The subclasses choose the driver and the path.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
@Import(WriterReadOnlyScopesTests.DecisionsConfiguration.class)
abstract class WriterReadOnlyScopesTests {

	static final ReplicationCluster cluster = TestCluster.get();

	static final String USER_INIT_SQL = "SET @app_init = 'applied'";

	@Autowired
	ServerIds serverIds;

	@Autowired
	Writes writes;

	@Autowired
	Decisions decisions;

	@Autowired
	PlatformTransactionManager transactionManager;

	/**
	 * The cluster (with or without its replicas) through {@code scheme}, as the account with every privilege, with a user's init SQL on every pool.
	 */
	static void registerPrivileged(DynamicPropertyRegistry registry, String scheme, boolean replicas) {
		if (replicas) {
			TestCluster.register(registry, scheme);
		}
		else {
			TestCluster.registerPrimary(registry, scheme);
		}
		registry.add("routing.datasource.primary.username", cluster::adminUsername);
		registry.add("routing.datasource.primary.password", cluster::adminPassword);
		registry.add("routing.datasource.hikari.connection-init-sql", () -> USER_INIT_SQL);
	}

	/**
	 * Both replicas unreachable (nothing listens on port 1): read-only scopes fall back to the primary.
	 */
	static void withoutReachableReplicas(DynamicPropertyRegistry registry, String scheme) {
		registry.add("routing.datasource.replicas.replica-1.url", () -> "jdbc:" + scheme + "://127.0.0.1:1/app");
		registry.add("routing.datasource.replicas.replica-2.url", () -> "jdbc:" + scheme + "://127.0.0.1:1/app");
		registry.add("routing.datasource.fallback-to-primary", () -> "true");
	}

	/**
	 * Why the primary serves read-only scopes in this configuration.
	 */
	RoutingReason reason() {
		return RoutingReason.FALLBACK;
	}

	/**
	 * Why the primary serves read-only scopes right after a write in this configuration.
	 */
	abstract RoutingReason reasonAfterAWrite();

	@AfterEach
	void forgetTheWrites() {
		// Sticky and causal remember this thread's last write; later tests on the thread must not inherit it.
		ConsistencyContext.clear();
	}

	@Test
	void theAccountIsNotStoppedByReadOnly() {
		assertThat(cluster.queryLong(ReplicationCluster.PRIMARY,
				"SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = \"'"
						+ cluster.adminUsername() + "'@'%'\" AND PRIVILEGE_TYPE IN ('SUPER', 'READ_ONLY ADMIN')"))
			.isEqualTo(2);
	}

	@Test
	void readOnlyScopesServedByThePrimaryAreReadOnlySessionsThatRanTheUsersInitSql() {
		assertPrimary(this.serverIds.readOnly());
		assertThat(this.serverIds.sessionReadOnlyFlag()).isOne();
		assertThat(this.serverIds.userInitSqlMarker()).isEqualTo("applied");
		assertPrimary(this.serverIds.usePrimaryThen(() -> this.serverIds.readOnly()));
		assertThat(this.serverIds.usePrimaryThen(() -> this.serverIds.sessionReadOnlyFlag())).isOne();
		assertThat(this.serverIds.usePrimaryThen(() -> this.serverIds.userInitSqlMarker())).isEqualTo("applied");
	}

	@Test
	void writesInReadOnlyScopesAreRefused() {
		assertWritesRefused(reason(), (name) -> {
			// No earlier write on this thread to read: the reason is the configuration's, not read-your-writes'.
			ConsistencyContext.clear();
		});
	}

	@Test
	void writesInReadOnlyScopesAfterAWriteAreRefused() {
		assertWritesRefused(reasonAfterAWrite(), (name) -> this.writes.save(name + "-before"));
	}

	@Test
	void writeInProgrammaticReadOnlyTransactionIsRefused() {
		TransactionTemplate readOnly = new TransactionTemplate(this.transactionManager);
		readOnly.setReadOnly(true);
		String name = "writer-ro-template-" + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> readOnly.executeWithoutResult((status) -> this.writes.save(name)));
		assertNothingWritten(name);
	}

	@Test
	void usePrimaryStillWritesOnThePrimary() {
		String name = "writer-use-primary-" + System.nanoTime();
		this.serverIds.usePrimaryThen(() -> this.writes.save(name));
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'")).isOne();
	}

	private void assertWritesRefused(RoutingReason reason, Consumer<String> before) {
		assertRefused("Writes.insertWithJdbcInReadOnly()", reason, before, this.writes::insertWithJdbcInReadOnly);
		assertRefused("Writes.saveWithRepositoryInReadOnly()", reason, before,
				this.writes::saveWithRepositoryInReadOnly);
		assertRefused("Writes.insertWithJdbcInReadOnlyTransaction()", reason, before,
				this.writes::insertWithJdbcInReadOnlyTransaction);
		assertRefused("Writes.saveInReadOnlyTransaction()", reason, before, this.writes::saveInReadOnlyTransaction);
		// Nested in @UsePrimary, or a @UsePrimary read-only transaction: the primary serves them, still read-only.
		RoutingReason nested = RoutingReason.ANNOTATION;
		assertRefused("Writes.insertWithJdbcInReadOnly()", nested, before,
				(name) -> this.serverIds.usePrimaryThen(() -> run(() -> this.writes.insertWithJdbcInReadOnly(name))));
		assertRefused("Writes.saveWithRepositoryInReadOnly()", nested, before, (name) -> this.serverIds
			.usePrimaryThen(() -> run(() -> this.writes.saveWithRepositoryInReadOnly(name))));
		assertRefused("Writes.insertWithJdbcInReadOnlyTransaction()", nested, before, (name) -> this.serverIds
			.usePrimaryThen(() -> run(() -> this.writes.insertWithJdbcInReadOnlyTransaction(name))));
		assertRefused("Writes.saveInReadOnlyTransaction()", nested, before,
				(name) -> this.serverIds.usePrimaryThen(() -> run(() -> this.writes.saveInReadOnlyTransaction(name))));
		assertRefused("Writes.insertWithJdbcInReadOnlyTransactionOnPrimary()", nested, before,
				this.writes::insertWithJdbcInReadOnlyTransactionOnPrimary);
		assertRefused("Writes.saveInReadOnlyTransactionOnPrimary()", nested, before,
				this.writes::saveInReadOnlyTransactionOnPrimary);
	}

	private void assertRefused(String scope, RoutingReason reason, Consumer<String> before, Consumer<String> write) {
		String name = "writer-ro-" + System.nanoTime();
		before.accept(name);
		this.decisions.clear();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class).as(scope)
			.isThrownBy(() -> write.accept(name))
			.satisfies((ex) -> assertThat(ex.getScope()).isEqualTo(scope));
		assertThat(this.decisions.nodes()).as(scope).containsOnly(ReplicationCluster.PRIMARY);
		assertThat(this.decisions.reasons()).as(scope).containsOnly(reason);
		assertNothingWritten(name);
	}

	private static void assertNothingWritten(String name) {
		cluster.awaitReplication(Duration.ofSeconds(10));
		for (ClusterNode node : cluster.nodes()) {
			assertThat(TestCluster.count(cluster, node.name(), "item", "name = '" + name + "'")).as(node.name())
				.isZero();
		}
	}

	private static Object run(Runnable runnable) {
		runnable.run();
		return null;
	}

	/**
	 * The nodes and reasons of the connections taken, to show which path served a scope.
	 */
	static final class Decisions implements RoutingListener {

		private final List<RoutingDecision> decisions = new CopyOnWriteArrayList<>();

		@Override
		public void onConnection(RoutingDecision decision) {
			this.decisions.add(decision);
		}

		void clear() {
			this.decisions.clear();
		}

		List<String> nodes() {
			return this.decisions.stream().map(RoutingDecision::node).toList();
		}

		List<RoutingReason> reasons() {
			return this.decisions.stream().map(RoutingDecision::reason).toList();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class DecisionsConfiguration {

		@Bean
		Decisions routingDecisions() {
			return new Decisions();
		}

	}

}
