package io.github.replicarouting.routing;

import java.sql.SQLException;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ReadOnlyViolationsTests {

	@Test
	void sessionReadOnlyErrorIsTranslated() {
		RuntimeException ex = new UncategorizedSQLException("insert", "INSERT",
				new SQLException("Cannot execute statement in a READ ONLY transaction", "25006", 1792));
		assertThat(ReadOnlyViolations.translate(ex, "Service.method()"))
			.isInstanceOf(WriteInReadOnlyScopeException.class)
			.hasMessageContaining("Service.method()")
			.hasCause(ex);
	}

	@Test
	void serverReadOnlyErrorIsTranslated() {
		RuntimeException ex = new UncategorizedSQLException("insert", "INSERT",
				new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290));
		assertThat(ReadOnlyViolations.translate(ex, "x()")).isInstanceOf(WriteInReadOnlyScopeException.class);
	}

	@Test
	void otherErrorsAreLeftAlone() {
		RuntimeException ex = new DataIntegrityViolationException("duplicate",
				new SQLException("Duplicate entry", "23000", 1062));
		assertThat(ReadOnlyViolations.translate(ex, "x()")).isSameAs(ex);
	}

}
