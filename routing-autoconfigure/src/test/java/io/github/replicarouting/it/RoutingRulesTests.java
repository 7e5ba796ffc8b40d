package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.zaxxer.hikari.pool.HikariProxyConnection;

import io.github.replicarouting.Routing;
import io.github.replicarouting.WriteInReadOnlyScopeException;
import io.github.replicarouting.routing.RoutingContext;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The routing rules, each proved by asking the server which node answered ({@code @@server_id}, or a row that differs
 * per node). Run once per JDBC driver by the subclasses.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
abstract class RoutingRulesTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	ServerIds serverIds;

	@Autowired
	ClassLevelReadOnly classLevel;

	@Autowired
	NodeMarkerRepository markers;

	@Autowired
	Writes writes;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	DataSource dataSource;

	// Rule 1

	@Test
	void readOnlyMethodRunsOnReplica() {
		assertReplica(this.serverIds.readOnly());
	}

	@Test
	void readOnlyOnTypeAppliesToItsMethodsAndMethodAnnotationWins() {
		assertReplica(this.classLevel.serverId());
		assertPrimary(this.classLevel.serverIdOnPrimary());
	}

	@Test
	void readOnlyWithReadWriteTransactionStartsTransactionOnReplica() {
		assertReplica(this.serverIds.readOnlyAnnotatedTransaction());
	}

	// Rule 2

	@Test
	void readOnlyTransactionRunsOnReplica() {
		assertReplica(this.serverIds.readOnlyTransaction());
		assertReplica(this.serverIds.readOnlyTransactionThroughJpa());
	}

	@Test
	void readOnlySupportsWithoutTransactionRunsOnReplica() {
		assertReplica(this.serverIds.readOnlySupportsWithoutTransaction());
	}

	@Test
	void springDataFindByIdWithoutSurroundingTransactionRunsOnReplica() {
		for (int i = 0; i < 4; i++) {
			assertThat(this.markers.findById(1L)).get()
				.extracting(NodeMarker::getNode)
				.asString()
				.startsWith("replica-");
		}
	}

	// Rule 3

	@Test
	void codeWithoutTransactionRunsOnPrimary() {
		assertPrimary(this.serverIds.plain());
	}

	@Test
	void readWriteTransactionRunsOnPrimary() {
		assertPrimary(this.serverIds.readWriteTransaction());
		assertPrimary(this.serverIds.readWriteTransactionThroughJpa());
	}

	@Test
	void declaredQueryWithoutTransactionRunsOnPrimary() {
		assertThat(this.markers.findMarker().getNode()).isEqualTo(ReplicationCluster.PRIMARY);
	}

	@Test
	void repositorySaveWritesOnPrimary() {
		String name = "saved-" + System.nanoTime();
		this.writes.save(name);
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
			.isEqualTo(1);
	}

	@Test
	void schemaInitializationRanOnPrimary() {
		// routing-init.sql stores the @@server_id of the server that ran it.
		assertThat(cluster.queryLong(ReplicationCluster.PRIMARY,
				"SELECT COUNT(*) FROM " + cluster.database() + ".init_marker WHERE server_id <> 1"))
			.isZero();
		assertThat(cluster.queryLong(ReplicationCluster.PRIMARY,
				"SELECT COUNT(*) FROM " + cluster.database() + ".init_marker"))
			.isPositive();
	}

	// Rule 4

	@Test
	void readOnlyJoiningReadWriteTransactionStaysOnPrimary() {
		assertPrimary(this.serverIds.readWriteTransactionThen(() -> this.serverIds.readOnly()));
		assertPrimary(this.serverIds.readWriteTransactionThen(() -> this.serverIds.readOnlyTransaction()));
		assertThat(this.serverIds.readWriteTransactionThen(() -> this.markers.findById(1L).orElseThrow().getNode()))
			.isEqualTo(ReplicationCluster.PRIMARY);
	}

	@Test
	void readOnlyJoiningReadWriteTransactionBeforeItsFirstStatementStaysOnPrimary() {
		// The transaction's connection is lazy: the route must be fixed when the transaction began, not at first use.
		assertPrimary(this.serverIds.readWriteTransactionBeforeAnyStatementThen(() -> this.serverIds.readOnly()));
	}

	@Test
	void newReadWriteTransactionInsideReadOnlyTransactionRunsOnPrimary() {
		// The read-only transaction has not run a statement yet when the write begins its own transaction.
		String first = "requires-new-" + System.nanoTime();
		long[] servers = this.serverIds.readOnlyTransactionBeforeAnyStatementThen(
				() -> this.serverIds.insertInNewTransactionReturningServerId(first));
		assertPrimary(servers[0]);
		assertReplica(servers[1]);
		// A read-only method joining a read-write transaction, then a new read-write transaction inside it.
		String second = "requires-new-" + System.nanoTime();
		assertPrimary(this.serverIds.readWriteTransactionThen(() -> this.serverIds.readOnlyTransactionThen(
				() -> this.serverIds.insertInNewTransactionReturningServerId(second))));
		for (String name : new String[] { first, second }) {
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
				.as(name)
				.isOne();
		}
	}

	@Test
	void programmaticTransactionsAreRoutedByTheirReadOnlyFlag() {
		// No interceptor saw these transactions begin: the connection decides at its first statement.
		TransactionTemplate readOnly = new TransactionTemplate(this.transactionManager);
		readOnly.setReadOnly(true);
		TransactionTemplate readWrite = new TransactionTemplate(this.transactionManager);
		for (int i = 0; i < 4; i++) {
			assertReplica(readOnly.execute((status) -> this.serverIds.serverId()));
			assertPrimary(readWrite.execute((status) -> this.serverIds.serverId()));
		}
	}

	@Test
	void connectionsWhoseNodeIsKnownAreThePoolsOwn() {
		// No wrapper on the hot path: a requested route hands out the pool's connection itself.
		assertThat(Routing.onReplica(this::isPoolConnection)).isTrue();
		assertThat(Routing.onPrimary(this::isPoolConnection)).isTrue();
		assertThat(isPoolConnection()).as("no route requested, no transaction: lazy until the first statement")
			.isFalse();
	}

	private boolean isPoolConnection() {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection instanceof HikariProxyConnection;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void usePrimaryInsideReadOnlyTransactionKeepsTheTransactionsReplica() {
		assertReplica(this.serverIds.readOnlyTransactionThen(() -> this.serverIds.usePrimary()));
	}

	// Rule 5

	@Test
	void writeInReadOnlyMethodFailsClearlyAndWritesNothing() {
		assertWriteRejected("Writes.insertWithJdbcInReadOnly()",
				(name) -> () -> this.writes.insertWithJdbcInReadOnly(name));
		assertWriteRejected("Writes.saveWithRepositoryInReadOnly()",
				(name) -> () -> this.writes.saveWithRepositoryInReadOnly(name));
	}

	@Test
	void writeInReadOnlyTransactionFailsClearlyAndWritesNothing() {
		assertWriteRejected("Writes.saveInReadOnlyTransaction()",
				(name) -> () -> this.writes.saveInReadOnlyTransaction(name));
		assertWriteRejected("Writes.insertWithJdbcInReadOnlyTransaction()",
				(name) -> () -> this.writes.insertWithJdbcInReadOnlyTransaction(name));
	}

	@Test
	void writeInProgrammaticReadOnlyTransactionFailsClearly() {
		// No routing annotation opened this scope: JPA's exception translation reports it.
		TransactionTemplate readOnly = new TransactionTemplate(this.transactionManager);
		readOnly.setReadOnly(true);
		assertWriteRejected("a read-only transaction",
				(name) -> () -> readOnly.executeWithoutResult((status) -> this.writes.save(name)));
	}

	@Test
	void replicaConnectionsAreReadOnlyAtSessionLevel() {
		// Asked of the server: even an account allowed to write cannot write through a replica connection.
		for (int i = 0; i < 4; i++) {
			assertThat(this.serverIds.sessionReadOnlyFlag()).isEqualTo(1);
		}
	}

	@Test
	void writeInProgrammaticReplicaScopeFailsClearly() {
		assertWriteRejected("Routing.onReplica(..)",
				(name) -> () -> Routing.onReplica(() -> this.writes.save(name)));
	}

	// Rule 6

	@Test
	void usePrimaryRunsOnPrimary() {
		assertPrimary(this.serverIds.usePrimary());
		assertPrimary(this.serverIds.usePrimaryReadOnlyTransaction());
	}

	@Test
	void usePrimaryInsideReadOnlyFlowWithoutTransactionRunsOnPrimary() {
		assertPrimary(this.serverIds.readOnlyThen(() -> this.serverIds.usePrimary()));
		assertReplica(this.serverIds.readOnlyThen(() -> {
			this.serverIds.usePrimary();
			return this.serverIds.plain();
		}));
	}

	@Test
	void programmaticRouting() {
		assertReplica(Routing.onReplica(() -> this.serverIds.plain()));
		assertPrimary(Routing.onPrimary(() -> this.serverIds.readOnly()));
		assertPrimary(Routing.onReplica(() -> Routing.onPrimary(() -> this.serverIds.plain())));
	}

	// Rule 8

	@Test
	void routeIsRestoredAfterFailingAndNestedCalls() {
		assertThatIllegalStateException().isThrownBy(() -> this.serverIds.readOnlyFailing());
		assertThatIllegalStateException().isThrownBy(() -> this.serverIds.readOnlyThen(() -> {
			this.serverIds.usePrimary();
			return this.serverIds.readOnlyThen(() -> this.serverIds.readOnlyFailing());
		}));
		assertThatIllegalStateException()
			.isThrownBy(() -> Routing.onReplica(() -> this.serverIds.readOnlyThen(() -> {
				throw new IllegalStateException("nested failure");
			})));
		assertThat(RoutingContext.depth()).isZero();
		assertPrimary(this.serverIds.plain());
	}

	@Test
	void routeDoesNotLeakAcrossPooledThreads() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> executor
				.submit(() -> Routing.onReplica(() -> this.serverIds.readOnlyThen(() -> {
					throw new IllegalStateException("fails on the pooled thread");
				})))
				.get());
			assertPrimary(executor.submit(() -> this.serverIds.plain()).get());
			assertThat(executor.submit(RoutingContext::depth).get()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	// Rule 9

	@Test
	void roundRobinSpreadsReadsEvenly() {
		Map<String, Integer> reads = new TreeMap<>();
		for (int i = 0; i < 1000; i++) {
			reads.merge(cluster.nodeName(this.serverIds.readOnly()), 1, Integer::sum);
		}
		System.out.println("round-robin, 1000 reads per node: " + reads);
		assertThat(reads).containsOnlyKeys("replica-1", "replica-2");
		assertThat(reads.values()).allSatisfy((count) -> assertThat(count).isBetween(450, 550));
	}

	private void assertWriteRejected(String scope, java.util.function.Function<String, Executable> write) {
		String name = "rejected-" + System.nanoTime();
		assertThatExceptionOfType(WriteInReadOnlyScopeException.class)
			.isThrownBy(() -> write.apply(name).execute())
			.withMessageContaining(scope)
			.withMessageContaining("nothing was written")
			.satisfies((ex) -> assertThat(ex.getScope()).isEqualTo(scope));
		cluster.awaitReplication(Duration.ofSeconds(10));
		for (ClusterNode node : cluster.nodes()) {
			assertThat(TestCluster.count(cluster, node.name(), "item", "name = '" + name + "'")).as(node.name())
				.isZero();
		}
	}

	static void assertReplica(long serverId) {
		assertThat(cluster.node(cluster.nodeName(serverId)).replica()).as("served by a replica, was server %s", serverId)
			.isTrue();
	}

	static void assertPrimary(long serverId) {
		assertThat(serverId).as("served by the primary").isEqualTo(cluster.primary().serverId());
	}

}
