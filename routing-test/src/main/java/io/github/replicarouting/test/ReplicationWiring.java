package io.github.replicarouting.test;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Who replicates from whom: the accounts, {@code CHANGE MASTER TO} with GTID, and pausing a node's SQL thread.
 */
final class ReplicationWiring {

	private static final String REPLICATION_USER = "replicator";

	private static final String REPLICATION_PASSWORD = "replicator";

	private final ClusterNodes nodes;

	private final AdminSql sql;

	private final ReplicationWaits waits;

	ReplicationWiring(ClusterNodes nodes, AdminSql sql, ReplicationWaits waits) {
		this.nodes = nodes;
		this.sql = sql;
		this.waits = waits;
	}

	/**
	 * Create the application database and accounts on the primary, let every other node replicate from it, and the
	 * primary from {@code standby-1}.
	 */
	void wire(String database, String username, String password) {
		this.sql.execute(ReplicationCluster.PRIMARY, "CREATE DATABASE `" + database + "`",
				"CREATE USER '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + REPLICATION_PASSWORD + "'",
				"GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'",
				"CREATE USER '" + username + "'@'%' IDENTIFIED BY '" + password + "'",
				"GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + username + "'@'%'");
		ClusterNode primary = this.nodes.get(ReplicationCluster.PRIMARY);
		for (ClusterNode node : this.nodes.all()) {
			if (node.role() != ClusterRole.PRIMARY) {
				replicateFrom(node.name(), primary);
			}
		}
		this.waits.awaitReplication(Duration.ofSeconds(60));
		List<ClusterNode> standbys = this.nodes.withRole(ClusterRole.STANDBY);
		if (!standbys.isEmpty()) {
			// Only now does standby-1 have the replication account (it came from the primary).
			replicateFrom(ReplicationCluster.PRIMARY, standbys.get(0));
			this.waits.awaitConnected(ReplicationCluster.PRIMARY, Duration.ofSeconds(30));
		}
	}

	void replicateFrom(String name, ClusterNode source) {
		// An idle source notices that a replica went away only when a write to it fails; its heartbeats are the
		// writes, so SHOW SLAVE HOSTS drops a removed replica within seconds instead of a minute.
		this.sql.execute(name,
				"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port() + ", MASTER_USER='"
						+ REPLICATION_USER + "', MASTER_PASSWORD='" + REPLICATION_PASSWORD
						+ "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1, MASTER_SSL=0",
				"START SLAVE");
	}

	void pause(String name) {
		requireSource(name);
		this.sql.execute(name, "STOP SLAVE SQL_THREAD");
	}

	void resume(String name) {
		requireSource(name);
		this.sql.execute(name, "START SLAVE");
	}

	boolean isPaused(String name) {
		requireSource(name);
		// The SQL thread is what applies events; the I/O thread may be reconnecting without anything being paused.
		return !"Yes".equalsIgnoreCase(this.sql.replicationStatus(name).get("Slave_SQL_Running"));
	}

	@Nullable Long lagSeconds(String name) {
		String value = this.sql.replicationStatus(name).get("Seconds_Behind_Master");
		return (value != null) ? Long.valueOf(value) : null;
	}

	private void requireSource(String name) {
		ClusterNode node = this.nodes.get(name);
		if (node.role() == ClusterRole.PRIMARY && this.nodes.withRole(ClusterRole.STANDBY).isEmpty()) {
			throw new IllegalArgumentException(name + " does not replicate from any node");
		}
	}

}
