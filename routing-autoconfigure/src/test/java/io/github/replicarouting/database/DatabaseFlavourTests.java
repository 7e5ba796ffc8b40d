package io.github.replicarouting.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL's flavour cannot run here (no MySQL server); its SQL and parsing are checked as text.
 */
class DatabaseFlavourTests {

	@Test
	void mariaDbReadsTheSessionsLastGtidAndWaitsWithMasterGtidWait() {
		assertThat(DatabaseFlavours.MARIADB.lastWriteQuery()).isEqualTo("SELECT @@last_gtid");
		assertThat(DatabaseFlavours.MARIADB.waitQuery()).isEqualTo("SELECT MASTER_GTID_WAIT(?, ?)");
		assertThat(DatabaseFlavours.MARIADB.parsePosition("0-1-42")).isEqualTo(GtidPosition.parseMariaDb("0-1-42"));
	}

	@Test
	void mySqlReadsTheExecutedSetAndWaitsWithWaitForExecutedGtidSet() {
		assertThat(DatabaseFlavours.MYSQL.lastWriteQuery())
			.isEqualTo("SELECT @@global.gtid_executed, @@global.server_uuid");
		assertThat(DatabaseFlavours.MYSQL.waitQuery()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");
		GtidPosition executed = DatabaseFlavours.MYSQL.parsePosition("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42");
		assertThat(executed.includes(DatabaseFlavours.MYSQL.parsePosition("3E11FA47-71CA-11E1-9E33-C80AA9429562:40")))
			.isTrue();
	}

	@Test
	void connectorJWritersAskBothServersToTrackTheirCommitsGtids() {
		java.util.Map<String, String> expected = java.util.Map.of("trackSessionState", "true", "sessionVariables",
				"session_track_system_variables=CONCAT(@@session.session_track_system_variables,',last_gtid')"
						+ "/*!80000 ,session_track_gtids=OWN_GTID*/");
		// The pool's flavour comes from a jdbc:mysql: URL whatever the server: both must ask for both.
		assertThat(DatabaseFlavours.MYSQL.commitTrackingProperties(true)).isEqualTo(expected);
		assertThat(DatabaseFlavours.MARIADB.commitTrackingProperties(true)).isEqualTo(expected);
		assertThat(DatabaseFlavours.MARIADB.commitTrackingProperties(false)).isEmpty();
		assertThat(DatabaseFlavours.MYSQL.commitTrackingProperties(false)).isEmpty();
		assertThat(DatabaseFlavours.GENERIC.commitTrackingProperties(true)).isEmpty();
	}

	@Test
	void anotherDriversConnectionHasNoTrackedPosition() throws java.sql.SQLException {
		try (java.sql.Connection h2 = java.sql.DriverManager.getConnection("jdbc:h2:mem:tracked")) {
			assertThat(ConnectorJSessionState.systemVariable(h2, "last_gtid")).isNull();
			assertThat(ConnectorJSessionState.gtids(h2)).isNull();
		}
	}

	@Test
	void theNodesSettingsTellTheFlavourBeforeAnyConnection() {
		assertThat(DatabaseFlavours.forUrl("jdbc:mariadb://db/app", null)).isSameAs(DatabaseFlavours.MARIADB);
		assertThat(DatabaseFlavours.forUrl("jdbc:mysql://db/app", null)).isSameAs(DatabaseFlavours.MYSQL);
		assertThat(DatabaseFlavours.forUrl("jdbc:aws-wrapper:mysql://db/app", "com.mysql.cj.jdbc.Driver"))
			.isSameAs(DatabaseFlavours.MYSQL);
		assertThat(DatabaseFlavours.forUrl("jdbc:h2:mem:app", null)).isSameAs(DatabaseFlavours.GENERIC);
		assertThat(DatabaseFlavours.GENERIC.readOnlySessionSql()).isNull();
		assertThat(DatabaseFlavours.MYSQL.readOnlySessionSql()).isEqualTo("SET SESSION TRANSACTION READ ONLY");
		assertThat(DatabaseFlavours.MARIADB.probeTimeouts(java.time.Duration.ofMillis(750)))
			.containsEntry("connectTimeout", "750")
			.containsEntry("socketTimeout", "750");
		assertThat(DatabaseFlavours.GENERIC.probeTimeouts(java.time.Duration.ofMillis(750))).isEmpty();
	}

	@Test
	void writersListTheirReplicasWithTheStatementOfTheirDatabase() throws java.sql.SQLException {
		java.util.List<String> asked = new java.util.ArrayList<>();
		java.util.List<java.util.Map<String, Object>> rows = java.util.List.of(
				java.util.Map.of("server_id", 12L, "host", "10.0.0.7", "port", 3307),
				java.util.Map.of("server_id", 13L, "host", "", "port", 3306));
		java.sql.Connection writer = writerListing(rows, asked);
		assertThat(DatabaseFlavours.MYSQL.readAttachedReplicas(writer)).containsExactly(
				new AttachedReplica(12, "10.0.0.7", 3307), new AttachedReplica(13, "", 3306));
		assertThat(DatabaseFlavours.MARIADB.readAttachedReplicas(writer)).hasSize(2);
		assertThat(asked).containsExactly("SHOW REPLICAS", "SHOW SLAVE HOSTS");
		assertThat(new AttachedReplica(13, "", 3306).hasAddress()).isFalse();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(java.sql.SQLFeatureNotSupportedException.class)
			.isThrownBy(() -> DatabaseFlavours.GENERIC.readAttachedReplicas(writer));
	}

	/**
	 * A writer's connection answering one statement with these rows, column labels matched without regard to case
	 * (as JDBC drivers do: MySQL labels it Server_Id, MariaDB Server_id).
	 */
	private static java.sql.Connection writerListing(java.util.List<java.util.Map<String, Object>> rows,
			java.util.List<String> asked) {
		return proxy(java.sql.Connection.class, (method, args) -> switch (method.getName()) {
			case "createStatement" -> proxy(java.sql.Statement.class, (statementMethod, statementArgs) -> {
				if (statementMethod.getName().equals("executeQuery")) {
					asked.add((String) statementArgs[0]);
					int[] row = { -1 };
					return proxy(java.sql.ResultSet.class, (resultMethod, resultArgs) -> switch (resultMethod.getName()) {
						case "next" -> ++row[0] < rows.size();
						case "getString" -> String.valueOf(value(rows.get(row[0]), (String) resultArgs[0]));
						case "getLong" -> ((Number) value(rows.get(row[0]), (String) resultArgs[0])).longValue();
						case "getInt" -> ((Number) value(rows.get(row[0]), (String) resultArgs[0])).intValue();
						default -> null;
					});
				}
				return null;
			});
			default -> null;
		});
	}

	private static Object value(java.util.Map<String, Object> row, String label) {
		return row.get(label.toLowerCase(java.util.Locale.ROOT));
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, java.util.function.BiFunction<java.lang.reflect.Method, Object[], Object> answer) {
		return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> answer.apply(method, args));
	}

}
