package io.github.replicarouting.it;

import java.util.function.Supplier;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asks the database which server answered ({@code @@server_id}) under each routing rule.
 */
@Service
class ServerIds {

	private final JdbcTemplate jdbc;

	@PersistenceContext
	private EntityManager entityManager;

	ServerIds(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	long plain() {
		return serverId();
	}

	@ReadOnly
	long readOnly() {
		return serverId();
	}

	@ReadOnly
	long readOnlyThen(Supplier<Long> next) {
		return next.get();
	}

	@Transactional(readOnly = true)
	long readOnlyTransaction() {
		return serverId();
	}

	@Transactional(readOnly = true)
	long readOnlyTransactionThroughJpa() {
		return ((Number) this.entityManager.createNativeQuery("SELECT @@server_id").getSingleResult()).longValue();
	}

	@Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
	long readOnlySupportsWithoutTransaction() {
		return serverId();
	}

	@Transactional
	long readWriteTransaction() {
		return serverId();
	}

	@Transactional
	long readWriteTransactionThroughJpa() {
		return ((Number) this.entityManager.createNativeQuery("SELECT @@server_id").getSingleResult()).longValue();
	}

	@ReadOnly
	@Transactional
	long readOnlyAnnotatedTransaction() {
		return serverId();
	}

	@UsePrimary
	long usePrimary() {
		return serverId();
	}

	@UsePrimary
	@Transactional(readOnly = true)
	long usePrimaryReadOnlyTransaction() {
		return serverId();
	}

	@UsePrimary
	<T> T usePrimaryThen(Supplier<T> next) {
		return next.get();
	}

	@Transactional
	<T> T readWriteTransactionThen(Supplier<T> next) {
		serverId();
		return next.get();
	}

	@Transactional
	long readWriteTransactionBeforeAnyStatementThen(Supplier<Long> next) {
		return next.get();
	}

	@Transactional(readOnly = true)
	long readOnlyTransactionThen(Supplier<Long> next) {
		serverId();
		return next.get();
	}

	@Transactional(readOnly = true)
	long[] readOnlyTransactionBeforeAnyStatementThen(Supplier<Long> next) {
		long inner = next.get();
		return new long[] { inner, serverId() };
	}

	/**
	 * Insert a row in a new read-write transaction, whatever surrounds the call, and return the server that took it.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	long insertInNewTransactionReturningServerId(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
		return serverId();
	}

	@ReadOnly
	long readOnlyFailing() {
		serverId();
		throw new IllegalStateException("failing on purpose");
	}

	/**
	 * Which server answered, and whether it has the row named {@code name}, in one read-only transaction.
	 */
	@ReadOnly
	@Transactional
	long[] serverIdAndCount(String name) {
		return this.jdbc.queryForObject("SELECT @@server_id, (SELECT COUNT(*) FROM item WHERE name = ?)",
				(result, row) -> new long[] { result.getLong(1), result.getLong(2) }, name);
	}

	/**
	 * Insert a row and return the server that took it, in one read-write transaction.
	 */
	@Transactional
	long insertReturningServerId(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
		return serverId();
	}

	/**
	 * Insert a row without a transaction: the statement commits on its own.
	 */
	void insertWithoutTransaction(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
	}

	@ReadOnly
	long sessionReadOnlyFlag() {
		return this.jdbc.queryForObject("SELECT @@session.transaction_read_only", Long.class);
	}

	/**
	 * A long report query: sleeps on the server, then says which server it was.
	 */
	@ReadOnly
	long sleepThenServerId(int seconds) {
		return this.jdbc.queryForObject("SELECT SLEEP(?) + @@server_id", Long.class, seconds);
	}

	/**
	 * What the user's own {@code connection-init-sql} left in the session of a read-only scope's connection.
	 */
	@ReadOnly
	String userInitSqlMarker() {
		return this.jdbc.queryForObject("SELECT @app_init", String.class);
	}

	long serverId() {
		return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
	}

}
