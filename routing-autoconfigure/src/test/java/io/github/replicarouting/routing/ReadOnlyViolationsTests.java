package io.github.replicarouting.routing;

import java.sql.SQLException;

import io.github.replicarouting.WriteInReadOnlyScopeException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
	void violationInAReadOnlyTransactionIsTranslatedAndTheScopeNamedByTheMethodThatOpenedIt() {
		RuntimeException ex = new UncategorizedSQLException("insert", "INSERT",
				new SQLException("Cannot execute statement in a READ ONLY transaction", "25006", 1792));
		assertThat(ReadOnlyViolations.translateInReadOnlyScope(ex)).as("no read-only scope").isNull();
		TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
		try {
			WriteInReadOnlyScopeException translated = ReadOnlyViolations.translateInReadOnlyScope(ex);
			assertThat(translated).hasCause(ex);
			assertThat(translated.getScope()).isEqualTo("a read-only transaction");
			assertThat(ReadOnlyViolations.translate(translated, "Service.method()"))
				.isInstanceOfSatisfying(WriteInReadOnlyScopeException.class,
						(named) -> assertThat(named.getScope()).isEqualTo("Service.method()"))
				.hasCause(ex);
		}
		finally {
			TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
		}
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
