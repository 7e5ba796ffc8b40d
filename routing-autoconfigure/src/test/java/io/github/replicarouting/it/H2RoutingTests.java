package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.replicarouting.Routing;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.FirstProbes;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing on a database that is neither MySQL nor MariaDB: three in-memory H2 databases, each holding a
 * {@code node_marker} row with its own name. The monitor cannot ask H2 about read_only or replication, so it keeps
 * reachable nodes in rotation and says so once per node; reads still go to the replicas and writes to the primary.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2RoutingTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final List<String> NODES = List.of("primary", "replica-1", "replica-2");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues("routing.datasource.primary.url=" + url("primary"),
				"routing.datasource.primary.username=sa",
				"routing.datasource.replicas.replica-1.url=" + url("replica-1"),
				"routing.datasource.replicas.replica-2.url=" + url("replica-2"),
				"routing.datasource.lag-check-interval=" + INTERVAL.toMillis() + "ms",
				"routing.datasource.max-replication-lag=1s");

	@BeforeAll
	static void createDatabases() throws SQLException {
		for (String node : NODES) {
			execute(node, "CREATE TABLE IF NOT EXISTS node_marker (id BIGINT PRIMARY KEY, node VARCHAR(64) NOT NULL)",
					"MERGE INTO node_marker KEY (id) VALUES (1, '" + node + "')",
					"CREATE TABLE IF NOT EXISTS note (id BIGINT PRIMARY KEY, text VARCHAR(64) NOT NULL)",
					"DELETE FROM note");
		}
	}

	@Test
	void everyNodeStaysUpAndReadsGoToTheReplicasAndWritesToThePrimary(CapturedOutput output) throws Exception {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
			Topology topology = dataSource.getTopology();
			FirstProbes.await(topology);
			// Several more rounds: nothing may go down later, and the warning must not repeat.
			Thread.sleep(5 * INTERVAL.toMillis());

			for (NodeStatus status : topology.getStatuses()) {
				assertThat(status.state()).as(status.name() + ": " + status.reason()).isEqualTo(NodeState.UP);
				assertThat(status.reason()).contains("not checked on H2");
			}
			assertThat(topology.writer()).isSameAs(dataSource.getPrimary());
			assertThat(topology.eligibleReplicas()).hasSize(2);

			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Set<String> readers = new HashSet<>();
			for (int i = 0; i < 10; i++) {
				readers.add(Routing.onReplica(() -> jdbc.queryForObject("SELECT node FROM node_marker", String.class)));
			}
			assertThat(readers).containsExactlyInAnyOrder("replica-1", "replica-2");
			assertThat(jdbc.queryForObject("SELECT node FROM node_marker", String.class)).isEqualTo("primary");

			jdbc.update("INSERT INTO note VALUES (1, 'unrouted')");
			Routing.onPrimary(() -> jdbc.update("INSERT INTO note VALUES (2, 'on primary')"));
			assertThat(countNotes("primary")).isEqualTo(2);
			assertThat(countNotes("replica-1")).isZero();
			assertThat(countNotes("replica-2")).isZero();

			for (String node : NODES) {
				assertThat(warningsAbout(output, node)).as("WARN lines about " + node).hasSize(1);
			}
			assertThat(warningsAbout(output, "primary").get(0)).contains(
					"lag and read_only/writer detection are not supported on H2",
					"only checks that the node is reachable", "Routing still works");
			// No node ever left its first state: every one still has the time the topology was created (the log is
			// no proof, cached contexts of other test classes log about nodes of the same names).
			assertThat(topology.getStatuses()).extracting(NodeStatus::since)
				.containsOnly(topology.getStatuses().get(0).since());
		});
	}

	private static List<String> warningsAbout(CapturedOutput output, String node) {
		return output.toString()
			.lines()
			.filter((line) -> line.contains(" WARN ") && line.contains("Node '" + node + "' runs on H2"))
			.toList();
	}

	private static long countNotes(String node) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(node), "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM note")) {
			result.next();
			return result.getLong(1);
		}
	}

	private static void execute(String node, String... statements) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(node), "sa", "");
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	private static String url(String node) {
		return "jdbc:h2:mem:h2-routing-" + node + ";DB_CLOSE_DELAY=-1";
	}

}
