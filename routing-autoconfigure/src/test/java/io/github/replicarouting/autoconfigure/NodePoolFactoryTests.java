package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Node;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties.Replica;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeConnections;
import io.github.replicarouting.topology.NodeRole;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only init SQL of replica pools is MySQL/MariaDB syntax: it is given to MySQL and MariaDB nodes only, and a
 * replica pool on another database opens connections.
 */
class NodePoolFactoryTests {

	private static final String MYSQL_READ_ONLY_SESSION = "SET SESSION TRANSACTION READ ONLY";

	@Test
	void replicaPoolOnH2HasNoInitSqlAndOpensConnections() throws Exception {
		try (HikariDataSource pool = replicaPool("jdbc:h2:mem:pool-factory-replica;DB_CLOSE_DELAY=-1", null, null)) {
			assertThat(pool.getConnectionInitSql()).isNull();
			assertThat(pool.isReadOnly()).isTrue();
			try (Connection connection = pool.getConnection();
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT 1")) {
				assertThat(result.next()).isTrue();
			}
		}
	}

	@Test
	void replicaPoolOnMariaDbUrlMakesTheSessionReadOnly() {
		try (HikariDataSource pool = replicaPool("jdbc:mariadb://127.0.0.1:3306/app", null, null)) {
			assertThat(pool.getConnectionInitSql()).isEqualTo(MYSQL_READ_ONLY_SESSION);
			assertThat(pool.isReadOnly()).isTrue();
		}
	}

	@Test
	void replicaPoolOnMySqlUrlMakesTheSessionReadOnly() {
		try (HikariDataSource pool = replicaPool("jdbc:mysql://127.0.0.1:3306/app", null, null)) {
			assertThat(pool.getConnectionInitSql()).isEqualTo(MYSQL_READ_ONLY_SESSION);
		}
	}

	@Test
	void mySqlDriverClassCountsWhenTheUrlIsAWrappersOwn() {
		try (HikariDataSource pool = replicaPool("jdbc:aws-wrapper:mysql://127.0.0.1:3306/app",
				"com.mysql.cj.jdbc.Driver", null)) {
			assertThat(pool.getConnectionInitSql()).isEqualTo(MYSQL_READ_ONLY_SESSION);
		}
	}

	@Test
	void explicitInitSqlIsKeptOnEveryDatabase() throws Exception {
		try (HikariDataSource h2 = replicaPool("jdbc:h2:mem:pool-factory-own-sql;DB_CLOSE_DELAY=-1", null,
				"SET SCHEMA PUBLIC");
				HikariDataSource mariaDb = replicaPool("jdbc:mariadb://127.0.0.1:3306/app", null, "SELECT 1")) {
			assertThat(h2.getConnectionInitSql()).isEqualTo("SET SCHEMA PUBLIC");
			assertThat(mariaDb.getConnectionInitSql()).isEqualTo("SELECT 1");
			assertThat(h2.getDataSource()).isInstanceOf(NodeConnections.class);
			assertThat(h2.getDataSource().isWrapperFor(ReadOnlySessionDataSource.class)).isFalse();
			assertThat(mariaDb.getDataSource()).as("tracked, so it can be aborted when frozen")
				.isInstanceOf(NodeConnections.class);
			assertThat(mariaDb.getDataSource().isWrapperFor(ReadOnlySessionDataSource.class))
				.as("opens read-only sessions before the user's init SQL runs")
				.isTrue();
		}
	}

	@Test
	void primaryPoolNeverGetsTheReplicaInitSql() {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:mariadb://127.0.0.1:3306/app");
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		try (HikariDataSource pool = (HikariDataSource) factory.createPrimary().getDataSource()) {
			assertThat(pool.getConnectionInitSql()).isNull();
			assertThat(pool.isReadOnly()).isFalse();
		}
	}

	@Test
	void writersReadOnlySessionsShareTheNodesConnectionBudget() {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:mariadb://127.0.0.1:3306/app");
		properties.getHikari().put("maximum-pool-size", "8");
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		DataSourceNode primary = factory.createPrimary();
		try (HikariDataSource pool = (HikariDataSource) primary.getDataSource();
				HikariDataSource readOnly = (HikariDataSource) primary.getReadOnlyDataSource()) {
			assertThat(pool.getMaximumPoolSize() + readOnly.getMaximumPoolSize()).isEqualTo(8);
			assertThat(readOnly.getMaximumPoolSize()).isPositive();
		}
	}

	@Test
	void primaryHasALazyPoolOfReadOnlySessions() {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:mariadb://127.0.0.1:3306/app");
		properties.getHikari().put("minimum-idle", "4");
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		DataSourceNode primary = factory.createPrimary();
		try (HikariDataSource pool = (HikariDataSource) primary.getDataSource();
				HikariDataSource readOnly = (HikariDataSource) primary.getReadOnlyDataSource()) {
			assertThat(readOnly.getPoolName()).isEqualTo("primary-read-only");
			assertThat(readOnly.isReadOnly()).isTrue();
			assertThat(readOnly.getConnectionInitSql()).isEqualTo(MYSQL_READ_ONLY_SESSION);
			assertThat(readOnly.getMinimumIdle()).isZero();
			assertThat(pool.getMinimumIdle()).isEqualTo(4);
		}
	}

	@Test
	void probeTimeoutsAreSetOnlyForDriversThatReadThemAsMilliseconds() {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:mariadb://127.0.0.1:3306/app");
		Replica replica = new Replica();
		replica.setUrl("jdbc:h2:mem:pool-factory-probe;DB_CLOSE_DELAY=-1");
		properties.getReplicas().put("replica-1", replica);
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, new SimpleDriverDataSource(), 1);
		DataSourceNode other = new DataSourceNode("replica-1", new SimpleDriverDataSource(), 1);
		assertThat(((SimpleDriverDataSource) factory.createProbeDataSource(primary)).getConnectionProperties())
			.containsEntry("connectTimeout", "2000")
			.containsEntry("socketTimeout", "2000");
		assertThat(((SimpleDriverDataSource) factory.createProbeDataSource(other)).getConnectionProperties())
			.isNull();
	}

	@Test
	void poolsOpenConnectionsThroughATrackerTheMonitorCanAbort() throws Exception {
		// That aborting frees a thread blocked on a frozen node is proved on the embedded cluster (FrozenNodeTests).
		HikariDataSource pool = replicaPool("jdbc:h2:mem:pool-factory-tracked;DB_CLOSE_DELAY=-1", null, null);
		try (pool; Connection connection = pool.getConnection()) {
			NodeConnections tracked = (NodeConnections) pool.getDataSource();
			int total = pool.getHikariPoolMXBean().getTotalConnections();
			assertThat(tracked.openCount()).isEqualTo(total).isPositive();
			assertThat(tracked.abortAll()).isEqualTo(total);
			assertThat(tracked.abortedCount()).isEqualTo(total);
			assertThat(tracked.openCount()).as("aborted connections are forgotten").isZero();
		}
	}

	@Test
	void aUrlNoDriverAcceptsFailsAtTheFirstConnectionAsWithoutTracking() {
		HikariDataSource pool = replicaPool("jdbc:nosuchdb://127.0.0.1/app", "org.h2.Driver", null);
		try (pool) {
			assertThat(pool.getDataSource()).isInstanceOf(NodeConnections.class);
		}
	}

	@Test
	void frozenNodesCostABoundedWaitForNewAndValidatedConnections() {
		HikariDataSource mariaDb = replicaPool("jdbc:mariadb://127.0.0.1:3306/app", null, null);
		HikariDataSource ownTimeout = replicaPool("jdbc:mariadb://127.0.0.1:3306/app?connectTimeout=500", null, null);
		HikariDataSource h2 = replicaPool("jdbc:h2:mem:pool-factory-timeouts;DB_CLOSE_DELAY=-1", null, null);
		assertThat(mariaDb.getDataSourceProperties()).containsEntry("connectTimeout", "2000");
		assertThat(mariaDb.getValidationTimeout()).isEqualTo(2000);
		assertThat(ownTimeout.getDataSourceProperties()).doesNotContainKey("connectTimeout");
		assertThat(h2.getDataSourceProperties()).doesNotContainKey("connectTimeout");
		List.of(mariaDb, ownTimeout, h2).forEach(HikariDataSource::close);
	}

	@Test
	void readOnlySessionsOfConnectorJSendNoStatementForSetReadOnly() {
		HikariDataSource mysql = replicaPool("jdbc:mysql://127.0.0.1:3306/app", null, null);
		HikariDataSource mysqlDriver = replicaPool("jdbc:aws-wrapper:mysql://127.0.0.1:3306/app",
				"com.mysql.cj.jdbc.Driver", null);
		HikariDataSource mariaDb = replicaPool("jdbc:mariadb://127.0.0.1:3306/app", null, null);
		HikariDataSource userUrl = replicaPool("jdbc:mysql://127.0.0.1:3306/app?readOnlyPropagatesToServer=true",
				null, null);
		HikariDataSource userProperty = replicaPool("jdbc:mysql://127.0.0.1:3306/app", null, null,
				"data-source-properties.readOnlyPropagatesToServer", "true");
		assertThat(mysql.getDataSourceProperties()).containsEntry("readOnlyPropagatesToServer", "false");
		assertThat(mysqlDriver.getDataSourceProperties()).containsEntry("readOnlyPropagatesToServer", "false");
		assertThat(mariaDb.getDataSourceProperties()).doesNotContainKey("readOnlyPropagatesToServer");
		assertThat(userUrl.getDataSourceProperties()).doesNotContainKey("readOnlyPropagatesToServer");
		assertThat(userProperty.getDataSourceProperties()).containsEntry("readOnlyPropagatesToServer", "true");
		List.of(mysql, mysqlDriver, mariaDb, userUrl, userProperty).forEach(HikariDataSource::close);
	}

	@Test
	void theWritersOwnPoolKeepsConnectorJDefaults() {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:mysql://127.0.0.1:3306/app");
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		io.github.replicarouting.topology.DataSourceNode primary = factory.createPrimary();
		try (HikariDataSource pool = (HikariDataSource) primary.getDataSource();
				HikariDataSource readOnly = (HikariDataSource) primary.getReadOnlyDataSource()) {
			assertThat(pool.getDataSourceProperties()).doesNotContainKey("readOnlyPropagatesToServer");
			assertThat(readOnly.getDataSourceProperties()).containsEntry("readOnlyPropagatesToServer", "false");
		}
	}

	@Test
	void causalWritersOnConnectorJTrackTheirCommitsGtids() {
		String tracking = "session_track_system_variables=CONCAT(@@session.session_track_system_variables,"
				+ "',last_gtid')/*!80000 ,session_track_gtids=OWN_GTID*/";
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.setReadYourWrites(ReadYourWritesMode.CAUSAL);
		properties.getPrimary().setUrl("jdbc:mysql://127.0.0.1:3306/app");
		Node standby = new Node();
		standby.setUrl("jdbc:mysql://127.0.0.1:3307/app");
		properties.getStandbys().put("standby-1", standby);
		Replica replica = new Replica();
		replica.setUrl("jdbc:mysql://127.0.0.1:3308/app");
		properties.getReplicas().put("replica-1", replica);
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		DataSourceNode primary = factory.createPrimary();
		DataSourceNode standbyNode = factory.createStandby("standby-1", standby);
		DataSourceNode replicaNode = factory.createReplica("replica-1", replica);
		try (HikariDataSource pool = (HikariDataSource) primary.getDataSource();
				HikariDataSource readOnly = (HikariDataSource) primary.getReadOnlyDataSource();
				HikariDataSource standbyPool = (HikariDataSource) standbyNode.getDataSource();
				HikariDataSource replicaPool = (HikariDataSource) replicaNode.getDataSource()) {
			for (HikariDataSource writer : List.of(pool, standbyPool)) {
				assertThat(writer.getDataSourceProperties()).containsEntry("trackSessionState", "true")
					.containsEntry("sessionVariables", tracking);
			}
			// Only writers commit: reads need no positions of their own.
			for (HikariDataSource reader : List.of(readOnly, replicaPool)) {
				assertThat(reader.getDataSourceProperties()).doesNotContainKeys("trackSessionState", "sessionVariables");
			}
		}
	}

	@Test
	void commitsAreAskedWhereTheDriverKeepsNoSessionStateOrTheModeNeedsNoPosition() {
		assertThat(writerProperties(ReadYourWritesMode.CAUSAL, "jdbc:mariadb://127.0.0.1:3306/app"))
			.doesNotContainKeys("trackSessionState", "sessionVariables");
		assertThat(writerProperties(ReadYourWritesMode.STICKY, "jdbc:mysql://127.0.0.1:3306/app"))
			.doesNotContainKeys("trackSessionState", "sessionVariables");
		assertThat(writerProperties(ReadYourWritesMode.NONE, "jdbc:mysql://127.0.0.1:3306/app"))
			.doesNotContainKeys("trackSessionState", "sessionVariables");
		assertThat(writerProperties(ReadYourWritesMode.CAUSAL, "jdbc:h2:mem:tracking;DB_CLOSE_DELAY=-1"))
			.doesNotContainKeys("trackSessionState", "sessionVariables");
	}

	@Test
	void sessionVariablesTheUserSetAreLeftAsTheyAre() {
		assertThat(writerProperties(ReadYourWritesMode.CAUSAL,
				"jdbc:mysql://127.0.0.1:3306/app?sessionVariables=sql_mode='ANSI'"))
			.containsEntry("trackSessionState", "true")
			.doesNotContainKey("sessionVariables");
		assertThat(writerProperties(ReadYourWritesMode.CAUSAL, "jdbc:mysql://127.0.0.1:3306/app",
				"data-source-properties.sessionVariables", "sql_mode='ANSI'"))
			.containsEntry("sessionVariables", "sql_mode='ANSI'");
	}

	private java.util.Properties writerProperties(ReadYourWritesMode mode, String url, String... hikari) {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.setReadYourWrites(mode);
		properties.getPrimary().setUrl(url);
		for (int i = 0; i < hikari.length; i += 2) {
			properties.getPrimary().getHikari().put(hikari[i], hikari[i + 1]);
		}
		DataSourceNode primary = new NodePoolFactory(properties, getClass().getClassLoader()).createPrimary();
		try (HikariDataSource pool = (HikariDataSource) primary.getDataSource();
				HikariDataSource readOnly = (HikariDataSource) primary.getReadOnlyDataSource()) {
			return pool.getDataSourceProperties();
		}
	}

	private HikariDataSource replicaPool(String url, @Nullable String driverClassName, @Nullable String initSql,
			String... hikari) {
		RoutingDataSourceProperties properties = new RoutingDataSourceProperties();
		properties.getPrimary().setUrl("jdbc:h2:mem:pool-factory-primary;DB_CLOSE_DELAY=-1");
		properties.getPrimary().setUsername("sa");
		Replica replica = new Replica();
		replica.setUrl(url);
		replica.setDriverClassName(driverClassName);
		if (initSql != null) {
			replica.getHikari().put("connection-init-sql", initSql);
		}
		for (int i = 0; i < hikari.length; i += 2) {
			replica.getHikari().put(hikari[i], hikari[i + 1]);
		}
		properties.getReplicas().put("replica-1", replica);
		NodePoolFactory factory = new NodePoolFactory(properties, getClass().getClassLoader());
		return (HikariDataSource) factory.createReplica("replica-1", replica).getDataSource();
	}

}
