package io.github.replicarouting.topology;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor on databases that are not MySQL or MariaDB (H2 here): reachable nodes stay in rotation with the
 * configured primary writing, unreachable ones go down as on MySQL, and each node says once that only reachability is
 * checked.
 */
@ExtendWith(OutputCaptureExtension.class)
class TopologyMonitorOtherDatabaseTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private TopologyMonitor monitor;

	@AfterEach
	void close() {
		if (this.monitor != null) {
			this.monitor.close();
		}
	}

	@Test
	void nodesOnH2StayUpAndThePrimaryKeepsTheWrites(CapturedOutput output) {
		DataSourceNode primary = node("h2-primary", NodeRole.PRIMARY, h2Url("monitor-primary"));
		DataSourceNode standby = node("h2-standby", NodeRole.STANDBY, h2Url("monitor-standby"));
		DataSourceNode replica = node("h2-replica", NodeRole.REPLICA, h2Url("monitor-replica"));
		Topology topology = new Topology(primary, List.of(standby), List.of(replica));
		this.monitor = monitor(topology, Map.of());

		for (int round = 0; round < 3; round++) {
			this.monitor.probeAll();
		}

		assertThat(topology.getStatuses()).allSatisfy((status) -> {
			assertThat(status.state()).isEqualTo(NodeState.UP);
			assertThat(status.reason()).isEqualTo("reachable (read_only and lag are not checked on H2)");
			assertThat(status.lag()).isNull();
		});
		assertThat(topology.writer()).isSameAs(primary);
		assertThat(topology.getStatus("h2-standby").writable()).isFalse();
		assertThat(topology.eligibleReplicas()).containsExactly(replica);
		for (String name : List.of("h2-primary", "h2-standby", "h2-replica")) {
			assertThat(output).containsOnlyOnce("Node '" + name + "' runs on H2");
		}
		assertThat(output).contains("Replication lag and read_only/writer detection are not supported on H2",
				"only checks that the node is reachable", "Routing still works");
		// No node ever left its first state: every one still has the time the topology was created.
		assertThat(topology.getStatuses()).extracting(NodeStatus::since)
			.containsOnly(topology.getStatuses().get(0).since());
	}

	@Test
	void unreachableNodeOnH2IsDown(CapturedOutput output) {
		DataSourceNode primary = node("h2-primary", NodeRole.PRIMARY, h2Url("monitor-reachable-primary"));
		// Nothing listens on port 1: connection refused.
		DataSourceNode replica = node("h2-replica", NodeRole.REPLICA, "jdbc:h2:tcp://127.0.0.1:1/nowhere");
		Topology topology = new Topology(primary, List.of(), List.of(replica));
		this.monitor = monitor(topology, Map.of());

		this.monitor.probeAll();

		assertThat(topology.getStatus("h2-replica").state()).isEqualTo(NodeState.DOWN);
		assertThat(topology.getStatus("h2-replica").reason()).contains("monitor could not reach it")
			.contains("Connection refused");
		assertThat(topology.eligibleReplicas()).isEmpty();
		assertThat(topology.getStatus("h2-primary").state()).isEqualTo(NodeState.UP);
		assertThat(output).doesNotContain("Node 'h2-replica' runs on");
	}

	@Test
	void nodeThatStopsAnsweringGoesDownAndComesBackWithoutAnotherWarning(CapturedOutput output) throws SQLException {
		DataSourceNode primary = node("h2-primary", NodeRole.PRIMARY, h2Url("monitor-restart-primary"));
		String replicaUrl = h2Url("monitor-restart-replica");
		DataSourceNode replica = node("h2-replica", NodeRole.REPLICA, replicaUrl);
		Topology topology = new Topology(primary, List.of(), List.of(replica));
		this.monitor = monitor(topology, Map.of());
		this.monitor.probeAll();
		assertThat(topology.getStatus("h2-replica").state()).isEqualTo(NodeState.UP);

		// Closes the database under the monitor's open connection; the next connection creates it again.
		try (Connection connection = new DriverManagerDataSource(replicaUrl, "sa", "").getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
		this.monitor.probeAll();
		assertThat(topology.getStatus("h2-replica").state()).isEqualTo(NodeState.DOWN);
		assertThat(topology.eligibleReplicas()).isEmpty();

		this.monitor.probeAll();
		assertThat(topology.getStatus("h2-replica").state()).isEqualTo(NodeState.UP);
		assertThat(topology.eligibleReplicas()).containsExactly(replica);
		assertThat(output).containsOnlyOnce("Node 'h2-replica' runs on H2")
			.containsOnlyOnce("Node 'h2-replica' is down")
			.containsOnlyOnce("Node 'h2-replica' is back in rotation");
	}

	@Test
	void mySqlLookalikeThatRejectsTheProbeQueryStaysUp(CapturedOutput output) throws SQLException {
		String url = h2Url("monitor-lookalike");
		try (Connection connection = new DriverManagerDataSource(url, "sa", "").getConnection();
				Statement statement = connection.createStatement()) {
			// Passes the version check; SELECT @@global.read_only is then a syntax error (SQLSTATE 42001) on H2.
			statement.execute("CREATE ALIAS IF NOT EXISTS VERSION FOR '" + MySqlVersion.class.getName() + ".version'");
		}
		DataSourceNode primary = node("h2-primary", NodeRole.PRIMARY, url);
		Topology topology = new Topology(primary, List.of(), List.of());
		this.monitor = monitor(topology, Map.of(primary, calledMySql(new DriverManagerDataSource(url, "sa", ""))));

		this.monitor.probeAll();
		this.monitor.probeAll();

		assertThat(topology.getStatus("h2-primary").state()).isEqualTo(NodeState.UP);
		assertThat(topology.writer()).isSameAs(primary);
		assertThat(output).containsOnlyOnce("Node 'h2-primary' runs on MySQL: it rejected the monitor's query")
			.contains("Syntax error");
	}

	/**
	 * What an H2 database answers {@code SELECT VERSION()} with, once aliased (public for H2 to call it).
	 */
	public static final class MySqlVersion {

		private MySqlVersion() {
		}

		public static String version() {
			return "8.0.36";
		}

	}

	private TopologyMonitor monitor(Topology topology, Map<DataSourceNode, DataSource> probeOverrides) {
		Map<DataSourceNode, DataSource> probes = new LinkedHashMap<>();
		for (DataSourceNode node : topology.getNodes()) {
			DriverManagerDataSource own = (DriverManagerDataSource) node.getDataSource();
			probes.put(node, probeOverrides.getOrDefault(node,
					new DriverManagerDataSource(own.getUrl(), own.getUsername(), own.getPassword())));
		}
		return new TopologyMonitor(topology, probes, INTERVAL, Duration.ofSeconds(1), Duration.ofSeconds(2));
	}

	private static DataSourceNode node(String name, NodeRole role, String url) {
		return new DataSourceNode(name, role, new DriverManagerDataSource(url, "sa", ""), 1);
	}

	private static String h2Url(String database) {
		return "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1";
	}

	/**
	 * A data source whose connections say they are MySQL, as a MySQL-compatible server or proxy would.
	 */
	private static DataSource calledMySql(DataSource target) {
		return new DelegatingDataSource(target) {

			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				return proxy(Connection.class, (proxy, method, args) -> {
					if (method.getName().equals("getMetaData")) {
						DatabaseMetaData metaData = connection.getMetaData();
						return proxy(DatabaseMetaData.class,
								(metaProxy, metaMethod, metaArgs) -> metaMethod.getName()
									.equals("getDatabaseProductName") ? "MySQL" : invoke(metaMethod, metaData, metaArgs));
					}
					return invoke(method, connection, args);
				});
			}

		};
	}

	private static <T> T proxy(Class<T> type, InvocationHandler handler) {
		return type.cast(Proxy.newProxyInstance(TopologyMonitorOtherDatabaseTests.class.getClassLoader(),
				new Class<?>[] { type }, handler));
	}

	private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
