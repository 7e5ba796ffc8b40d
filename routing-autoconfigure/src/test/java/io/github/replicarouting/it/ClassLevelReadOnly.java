package io.github.replicarouting.it;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code @ReadOnly} on the type applies to every method; a method's own annotation wins.
 */
@Service
@ReadOnly
class ClassLevelReadOnly {

	private final JdbcTemplate jdbc;

	ClassLevelReadOnly(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	long serverId() {
		return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
	}

	@UsePrimary
	long serverIdOnPrimary() {
		return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
	}

}
