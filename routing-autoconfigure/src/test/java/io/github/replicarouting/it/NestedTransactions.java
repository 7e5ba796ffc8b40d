package io.github.replicarouting.it;

import java.util.function.Supplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Transactional methods that run a statement, then whatever they are given, inside their transaction (begun or
 * joined).
 */
@Service
class NestedTransactions {

	private final JdbcTemplate jdbc;

	NestedTransactions(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional
	<T> T readWrite(Supplier<T> next) {
		serverId();
		return next.get();
	}

	@Transactional(readOnly = true)
	<T> T readOnly(Supplier<T> next) {
		serverId();
		return next.get();
	}

	@Transactional(propagation = Propagation.NESTED, readOnly = true)
	<T> T nestedReadOnly(Supplier<T> next) {
		return next.get();
	}

	@Transactional(propagation = Propagation.NOT_SUPPORTED, readOnly = true)
	<T> T notSupportedReadOnly(Supplier<T> next) {
		return next.get();
	}

	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	<T> T notSupported(Supplier<T> next) {
		return next.get();
	}

	long serverId() {
		return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
	}

	long insertReturningServerId(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
		return serverId();
	}

}
