package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.replicarouting.it.GeneralLog.Entry;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, target 1: a routed read-only transaction sends each replica exactly what a direct connection to it,
 * read-only from its start, sends for the same transaction: the user's statement and the transaction's own
 * (autocommit off, commit, autocommit on), counted by the servers themselves (general log), per node. No
 * {@code SET SESSION TRANSACTION READ ONLY / READ WRITE}, no {@code SELECT @@session.transaction_read_only}.
 * The subclasses choose the driver.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
abstract class StatementsPerTransactionTests {

	static final ReplicationCluster cluster = TestCluster.get();

	static final int TRANSACTIONS = 10;

	private static final Pattern READ_ONLY_STATE = Pattern
		.compile("(?i)transaction\\s+read\\s+(only|write)|transaction_read_only|tx_read_only");

	@Autowired
	CountedReads reads;

	@Autowired
	DataSource dataSource;

	private String serverVersion;

	abstract String scheme();

	@Test
	void readOnlyTransactionSendsWhatADirectReadOnlyConnectionSends() throws SQLException {
		assertSameStatementsAsDirect(this.reads::readOnlyTransaction);
	}

	@Test
	void readOnlyAnnotatedTransactionSendsWhatADirectReadOnlyConnectionSends() throws SQLException {
		assertSameStatementsAsDirect(this.reads::readOnlyAnnotated);
	}

	@Test
	void readOnlyJpaTransactionSendsWhatADirectReadOnlyConnectionSends() throws SQLException {
		assertSameStatementsAsDirect(this.reads::readOnlyTransactionThroughJpa);
	}

	@Test
	void readOnlyJpaTransactionWithIsolationLevelSendsWhatADirectReadOnlyConnectionSends() throws SQLException {
		assertSameStatementsAsDirect(this.reads::readOnlyReadCommittedThroughJpa, this.dataSource,
				Connection.TRANSACTION_READ_COMMITTED);
	}

	@Test
	void readOnlyTransactionWithJdbcTransactionManagerSendsWhatADirectReadOnlyConnectionSends() {
		jdbcTransactionManager().run((context) -> {
			JdbcReads reads = context.getBean(JdbcReads.class);
			assertSameStatementsAsDirect(reads::readOnlyTransaction, context.getBean(DataSource.class));
		});
	}

	@Test
	void readOnlyAnnotatedTransactionWithJdbcTransactionManagerSendsWhatADirectReadOnlyConnectionSends() {
		jdbcTransactionManager().run((context) -> {
			JdbcReads reads = context.getBean(JdbcReads.class);
			assertSameStatementsAsDirect(reads::readOnlyAnnotated, context.getBean(DataSource.class));
		});
	}

	/**
	 * The same routing settings with Spring's JDBC transaction manager (no JPA).
	 */
	private ApplicationContextRunner jdbcTransactionManager() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
					AopAutoConfiguration.class))
			.withUserConfiguration(JdbcReads.class)
			.withPropertyValues(TestCluster.properties(scheme())
				.entrySet()
				.stream()
				.filter((property) -> property.getKey().startsWith("routing."))
				.map((property) -> property.getKey() + "=" + property.getValue())
				.toArray(String[]::new));
	}

	private void assertSameStatementsAsDirect(LongSupplier transaction) throws SQLException {
		assertSameStatementsAsDirect(transaction, this.dataSource);
	}

	private void assertSameStatementsAsDirect(LongSupplier transaction, DataSource dataSource) throws SQLException {
		assertSameStatementsAsDirect(transaction, dataSource, -1);
	}

	/**
	 * @param isolation the transaction's isolation level, or -1 for the default
	 */
	private void assertSameStatementsAsDirect(LongSupplier transaction, DataSource dataSource, int isolation)
			throws SQLException {
		for (int i = 0; i < 2 * TRANSACTIONS; i++) {
			transaction.getAsLong();
		}
		GeneralLog.awaitFullPools(dataSource);
		ClusterNode replica = cluster.replicas().get(0);
		String directMarker = "counted-direct";
		List<Entry> entries = List.of();
		List<Entry> directEntries = List.of();
		// The first window of a run sometimes misses the direct connection's statements (seen once per run at
		// most, never the routed ones): measure again then, the routed transactions with it.
		for (int attempt = 0; attempt < 3 && directEntries.isEmpty(); attempt++) {
			try (GeneralLog log = GeneralLog.start(cluster)) {
				try (Connection direct = DriverManager.getConnection(replica.jdbcUrl(scheme()), cluster.username(),
						cluster.password())) {
					this.serverVersion = direct.getMetaData().getDatabaseProductVersion();
					try (Statement statement = direct.createStatement()) {
						statement.execute("SET SESSION TRANSACTION READ ONLY");
					}
					// What a direct connection, read-only since it began, sends for the same transaction (what Spring
					// and Hibernate do, minus the read-only flag): once to warm the driver's session state, as the
					// pooled connections are, then counted from the "direct-begin" statement on.
					directTransaction(direct, isolation, "counted-warm");
					try (Statement statement = direct.createStatement()) {
						statement.execute("SELECT 'direct-begin'");
					}
					directTransaction(direct, isolation, directMarker);
				}
				for (int i = 0; i < TRANSACTIONS; i++) {
					transaction.getAsLong();
				}
				entries = log.stop();
			}
			directEntries = GeneralLog.onConnectionsThatSent(entries, "'direct-begin'");
		}
		int begin = 0;
		while (begin < directEntries.size() && !directEntries.get(begin).sql().contains("'direct-begin'")) {
			begin++;
		}
		directEntries = directEntries.subList(Math.min(begin + 1, directEntries.size()), directEntries.size())
			.stream()
			.filter((entry) -> !"Quit".equals(entry.command()))
			.toList();
		List<String> perTransaction = directEntries.stream()
			.map((entry) -> GeneralLog.normalized(entry, directMarker))
			.toList();
		System.out.printf("[statements] %s, server version as the driver sees it %s: a direct read-only transaction sends %s%n",
				scheme(), this.serverVersion, perTransaction);
		assertThat(perTransaction).as("a direct read-only connection's transaction")
			.noneMatch((sql) -> READ_ONLY_STATE.matcher(sql).find())
			.anyMatch((sql) -> sql.contains("<marker>"));
		List<Entry> routed = GeneralLog.onConnectionsThatSent(entries, CountedReads.MARKER + "'");
		int transactions = 0;
		for (ClusterNode node : cluster.nodes()) {
			List<Entry> onNode = GeneralLog.on(routed, node.name());
			int onThisNode = (int) onNode.stream().filter((entry) -> entry.sql().contains(CountedReads.MARKER + "'"))
				.count();
			if (node.name().equals(ReplicationCluster.PRIMARY)) {
				assertThat(onThisNode).as("read-only transactions served by the primary").isZero();
			}
			transactions += onThisNode;
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < onThisNode; i++) {
				expected.addAll(perTransaction);
			}
			List<String> actual = new ArrayList<>(onNode.stream()
				.map((entry) -> GeneralLog.normalized(entry, CountedReads.MARKER))
				.toList());
			Collections.sort(expected);
			Collections.sort(actual);
			System.out.printf("[statements] %s %s: %d transactions, %d statements (%s per transaction; direct: %d)%n",
					scheme(), node.name(), onThisNode, actual.size(),
					(onThisNode > 0) ? String.format("%.2f", (double) actual.size() / onThisNode) : "-",
					perTransaction.size());
			assertThat(actual).as("what %s received for %d routed read-only transactions through %s (direct: %s)",
					node.name(), onThisNode, scheme(), perTransaction)
				.isEqualTo(expected);
		}
		assertThat(transactions).isEqualTo(TRANSACTIONS);
	}

	private static void directTransaction(Connection direct, int isolation, String marker) throws SQLException {
		int previousIsolation = -1;
		if (isolation != -1) {
			previousIsolation = direct.getTransactionIsolation();
			direct.setTransactionIsolation(isolation);
		}
		direct.setAutoCommit(false);
		try (Statement statement = direct.createStatement();
				ResultSet result = statement.executeQuery(CountedReads.SQL.replace(CountedReads.MARKER, marker))) {
			result.next();
		}
		direct.commit();
		direct.setAutoCommit(true);
		if (isolation != -1) {
			direct.setTransactionIsolation(previousIsolation);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class JdbcReads {

		private final JdbcTemplate jdbc;

		JdbcReads(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		public long readOnlyTransaction() {
			return query();
		}

		@ReadOnly
		@Transactional
		public long readOnlyAnnotated() {
			return query();
		}

		private long query() {
			return this.jdbc.queryForObject(CountedReads.SQL, (result, row) -> result.getLong(2));
		}

	}

}
