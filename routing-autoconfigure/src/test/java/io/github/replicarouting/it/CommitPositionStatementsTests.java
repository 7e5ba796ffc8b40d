package io.github.replicarouting.it;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.consistency.ConsistencyToken;
import io.github.replicarouting.database.GtidPosition;
import io.github.replicarouting.it.GeneralLog.Entry;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, target 2: under causal read-your-writes, what a read-write commit costs to learn its position, counted by
 * the primary (general log) on the application's own connections. MySQL Connector/J reads the commit's GTID from the
 * commit's reply (session tracking): no statement. MariaDB Connector/J keeps no session state for the application: one
 * {@code SELECT @@last_gtid}.
 */
@WithReplicationCluster
class CommitPositionStatementsTests {

	private static final int COMMITS = 10;

	static final ReplicationCluster cluster = TestCluster.get();

	@ParameterizedTest
	@ValueSource(strings = { "mysql", "mariadb" })
	void statementsPerReadWriteCommit(String scheme) {
		try (ConfigurableApplicationContext context = causal(scheme)) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			GeneralLog.awaitFullPools(context.getBean(javax.sql.DataSource.class));
			String marker = "commit-position-" + scheme + "-" + System.nanoTime();
			List<Entry> entries;
			try (GeneralLog log = GeneralLog.start(cluster)) {
				for (int i = 0; i < COMMITS; i++) {
					try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
						GtidPosition before = primaryPosition();
						serverIds.insertReturningServerId(marker + "-" + i);
						assertThatTheTokenIsThisCommits(before, ConsistencyContext.currentToken(), primaryPosition());
					}
				}
				entries = log.stop();
			}
			List<Entry> application = GeneralLog.on(GeneralLog.onConnectionsThatSent(entries, marker),
					ReplicationCluster.PRIMARY);
			List<Entry> statements = GeneralLog.matching(application, (entry) -> entry.command().equals("Query"));
			List<Entry> positionQueries = positionQueries(application);
			System.out.printf("[statements] %s, causal, %d read-write commits (insert + select @@server_id): %.1f "
					+ "statements per commit on the primary, of which %.1f to learn the commit's position %s%n", scheme,
					COMMITS, statements.size() / (double) COMMITS, positionQueries.size() / (double) COMMITS,
					statements.subList(0, Math.min(statements.size(), statements.size() / COMMITS)));
			assertThat(positionQueries).hasSize(scheme.equals("mysql") ? 0 : COMMITS);
		}
	}

	@Test
	void aCommitThatWroteNothingIsAskedNotAnsweredFromAnEarlierReply() {
		try (ConfigurableApplicationContext context = causal("mysql")) {
			ServerIds serverIds = context.getBean(ServerIds.class);
			GeneralLog.awaitFullPools(context.getBean(javax.sql.DataSource.class));
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				serverIds.insertReturningServerId("commit-position-then-nothing-" + System.nanoTime());
				List<Entry> entries;
				try (GeneralLog log = GeneralLog.start(cluster)) {
					// A read-write transaction that writes nothing: its commit's reply carries no GTID.
					serverIds.readWriteTransactionThen(() -> serverIds.plain());
					entries = log.stop();
				}
				List<Entry> positionQueries = positionQueries(GeneralLog.on(entries, ReplicationCluster.PRIMARY));
				System.out.printf("[statements] mysql, causal, a read-write commit that wrote nothing: %d position "
						+ "queries %s%n", positionQueries.size(), positionQueries);
				assertThat(positionQueries).singleElement()
					.satisfies((query) -> assertThat(query.sql()).containsIgnoringCase("SELECT @@last_gtid"));
			}
		}
	}

	private static void assertThatTheTokenIsThisCommits(GtidPosition before, ConsistencyToken token,
			GtidPosition after) {
		assertThat(token).isNotNull();
		assertThat(token.gtid()).isNotBlank();
		GtidPosition commit = GtidPosition.parseMariaDb(token.gtid());
		assertThat(before.includes(commit)).as("%s is not an earlier commit's (primary was at %s)", commit, before)
			.isFalse();
		assertThat(after.includes(commit)).as("%s is on the primary (%s)", commit, after).isTrue();
	}

	private static GtidPosition primaryPosition() {
		return GtidPosition
			.parseMariaDb(cluster.queryString(ReplicationCluster.PRIMARY, "SELECT @@global.gtid_binlog_pos"));
	}

	private static List<Entry> positionQueries(List<Entry> entries) {
		return GeneralLog.matching(entries, (entry) -> entry.sql() != null
				&& entry.sql().toLowerCase(Locale.ROOT).matches("(?s).*(@@last_gtid|gtid_executed).*"));
	}

	private static ConfigurableApplicationContext causal(String scheme) {
		Map<String, Object> properties = TestCluster.properties(scheme);
		properties.put("routing.datasource.read-your-writes", "causal");
		// Nothing but the test's own transactions on the primary's application pools.
		properties.put("routing.datasource.lag-check-interval", "1h");
		return new SpringApplicationBuilder(RoutingTestApplication.class).properties(properties).run();
	}

}
