package io.github.replicarouting.consistency;

import io.github.replicarouting.topology.GtidPosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL's flavour cannot run here (no MySQL server); its SQL and parsing are checked as text.
 */
class GtidDialectTests {

	@Test
	void mariaDbReadsTheSessionsLastGtidAndWaitsWithMasterGtidWait() {
		assertThat(GtidDialect.MARIADB.lastWriteQuery()).isEqualTo("SELECT @@last_gtid");
		assertThat(GtidDialect.MARIADB.waitQuery()).isEqualTo("SELECT MASTER_GTID_WAIT(?, ?)");
		assertThat(GtidDialect.MARIADB.parse("0-1-42")).isEqualTo(GtidPosition.parseMariaDb("0-1-42"));
	}

	@Test
	void mySqlReadsTheExecutedSetAndWaitsWithWaitForExecutedGtidSet() {
		assertThat(GtidDialect.MYSQL.lastWriteQuery()).isEqualTo("SELECT @@global.gtid_executed, @@global.server_uuid");
		assertThat(GtidDialect.MYSQL.waitQuery()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");
		GtidPosition executed = GtidDialect.MYSQL.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42");
		assertThat(executed.includes(GtidDialect.MYSQL.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:40"))).isTrue();
	}

}
