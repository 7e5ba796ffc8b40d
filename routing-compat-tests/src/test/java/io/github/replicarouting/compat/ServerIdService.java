package io.github.replicarouting.compat;

import io.github.replicarouting.ReadOnly;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asks the server which node answered, in a read-only and in a read-write transaction.
 */
class ServerIdService {

	private final JdbcTemplate jdbc;

	ServerIdService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@ReadOnly
	@Transactional
	public long readOnly() {
		return serverId();
	}

	@Transactional
	public long readWrite() {
		return serverId();
	}

	private long serverId() {
		Long id = this.jdbc.queryForObject("SELECT @@server_id", Long.class);
		return (id != null) ? id : -1;
	}

}
