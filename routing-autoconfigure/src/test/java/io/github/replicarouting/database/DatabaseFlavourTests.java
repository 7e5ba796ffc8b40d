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

}
