package io.github.replicarouting.topology;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which probe failures mean "this database does not support the query" (the node stays up) rather than "the node or
 * the account is the problem" (the node goes down). Exceptions carry what MariaDB and MySQL Connector/J report.
 */
class ProbeFailuresTests {

	@Test
	void unknownSyntaxFunctionOrVariableIsUnsupported() {
		assertThat(ProbeFailures.isUnsupported(new SQLSyntaxErrorException("You have an error in your SQL syntax",
				"42000", 1064))).isTrue();
		assertThat(ProbeFailures.isUnsupported(new SQLSyntaxErrorException("FUNCTION db.VERSION does not exist",
				"42000", 1305))).isTrue();
		// ER_UNKNOWN_SYSTEM_VARIABLE has the generic SQLSTATE HY000: only the code tells.
		assertThat(ProbeFailures.isUnsupported(new SQLException("Unknown system variable 'gtid_binlog_pos'", "HY000",
				1193))).isTrue();
		assertThat(ProbeFailures.isUnsupported(new SQLFeatureNotSupportedException("not supported"))).isTrue();
		assertThat(ProbeFailures.isUnsupported(new SQLException("wrapped",
				new SQLSyntaxErrorException("Syntax error", "42001", 42001)))).isTrue();
	}

	@Test
	void accessDeniedIsNotUnsupportedThoughItsSqlStateIsClass42() {
		assertThat(ProbeFailures.isUnsupported(new SQLSyntaxErrorException(
				"Access denied; you need (at least one of) the SLAVE MONITOR privilege(s)", "42000", 1227))).isFalse();
		assertThat(ProbeFailures.isUnsupported(new SQLSyntaxErrorException("Access denied for user to database",
				"42000", 1044))).isFalse();
		assertThat(ProbeFailures.isUnsupported(new SQLSyntaxErrorException("permission denied", "42501", 0)))
			.isFalse();
		assertThat(ProbeFailures.isAccessDenied(new SQLException("Access denied", "42000", 1227))).isTrue();
	}

	@Test
	void connectionAndAuthenticationFailuresAreNotUnsupported() {
		assertThat(ProbeFailures.isUnsupported(new SQLNonTransientConnectionException("Connection refused", "08000",
				0))).isFalse();
		assertThat(ProbeFailures.isUnsupported(new SQLException("Access denied for user 'app'", "28000", 1045)))
			.isFalse();
		assertThat(ProbeFailures.isUnsupported(new SQLException("Query execution was interrupted", "70100", 1317)))
			.isFalse();
	}

}
