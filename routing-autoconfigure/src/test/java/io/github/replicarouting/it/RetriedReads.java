package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;
import io.github.replicarouting.test.ReplicationCluster;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only methods whose connection breaks between two statements: the server kills it (as a dying replica would
 * drop it) after the first. Each counts how often its body ran.
 */
@Service
class RetriedReads {

	private final AtomicInteger runs = new AtomicInteger();

	private final JdbcTemplate jdbc;

	private final Audit audit;

	RetriedReads(JdbcTemplate jdbc, Audit audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/**
	 * On its first run, its replica connection is killed between two statements of one read-only transaction.
	 */
	@ReadOnly
	@Transactional(readOnly = true)
	long readOnlyTransactionBrokenOnFirstRun() {
		boolean first = this.runs.incrementAndGet() == 1;
		this.jdbc.queryForObject("SELECT @@server_id", Long.class);
		if (first) {
			killOwnConnection();
		}
		return this.jdbc.queryForObject("SELECT @@server_id", Long.class);
	}

	/**
	 * On its first run, its replica connection is killed between two statements; no transaction.
	 */
	@ReadOnly
	long readBrokenOnFirstRun() {
		boolean first = this.runs.incrementAndGet() == 1;
		return this.jdbc.execute((ConnectionCallback<Long>) (connection) -> {
			long[] idAndServer = idAndServer(connection);
			if (first) {
				kill(idAndServer);
			}
			return idAndServer(connection)[1];
		});
	}

	/**
	 * Writes an audit row on the primary (its own transaction, committed), then its replica connection breaks.
	 */
	@ReadOnly
	long auditThenBreak(String name) {
		this.runs.incrementAndGet();
		return this.jdbc.execute((ConnectionCallback<Long>) (connection) -> {
			long[] idAndServer = idAndServer(connection);
			this.audit.record(name);
			kill(idAndServer);
			return idAndServer(connection)[1];
		});
	}

	/**
	 * Reads on a replica, then calls the primary, whose connection breaks.
	 */
	@ReadOnly
	long readThenPrimaryBreaks() {
		this.runs.incrementAndGet();
		this.jdbc.queryForObject("SELECT @@server_id", Long.class);
		return this.audit.primaryConnectionBreaks();
	}

	/**
	 * Reads on a replica, then fails with an I/O error that has nothing to do with the database (an HTTP client's).
	 */
	@ReadOnly
	long readThenHttpClientFails() {
		this.runs.incrementAndGet();
		this.jdbc.queryForObject("SELECT @@server_id", Long.class);
		throw new org.springframework.web.client.ResourceAccessException("I/O error on GET request",
				new java.net.ConnectException("Connection refused"));
	}

	/**
	 * How often a method body ran (read through the proxy: its fields are the target's).
	 */
	int runs() {
		return this.runs.get();
	}

	private void killOwnConnection() {
		kill(this.jdbc.queryForObject("SELECT CONNECTION_ID(), @@server_id",
				(result, row) -> new long[] { result.getLong(1), result.getLong(2) }));
	}

	static long[] idAndServer(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT CONNECTION_ID(), @@server_id")) {
			result.next();
			return new long[] { result.getLong(1), result.getLong(2) };
		}
	}

	/**
	 * Have the server kill a connection, given its id and server id.
	 */
	static void kill(long[] idAndServer) {
		ReplicationCluster cluster = TestCluster.get();
		cluster.execute(cluster.nodeName(idAndServer[1]), "KILL CONNECTION " + idAndServer[0]);
	}

	@Service
	static class Audit {

		private final JdbcTemplate jdbc;

		Audit(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@UsePrimary
		@Transactional(propagation = Propagation.REQUIRES_NEW)
		void record(String name) {
			this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
		}

		@UsePrimary
		long primaryConnectionBreaks() {
			return this.jdbc.execute((ConnectionCallback<Long>) (connection) -> {
				kill(idAndServer(connection));
				return idAndServer(connection)[1];
			});
		}

	}

}
