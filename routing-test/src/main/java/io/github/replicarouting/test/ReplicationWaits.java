package io.github.replicarouting.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.database.GtidPosition;
import org.jspecify.annotations.Nullable;

/**
 * Waiting until nodes have applied what the cluster wrote, or are connected to their source.
 */
final class ReplicationWaits {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final ClusterNodes nodes;

	private final AdminSql sql;

	private final NodeProcesses processes;

	ReplicationWaits(ClusterNodes nodes, AdminSql sql, NodeProcesses processes) {
		this.nodes = nodes;
		this.sql = sql;
		this.processes = processes;
	}

	/**
	 * Wait until every running node that applies replication has applied everything written so far.
	 */
	void awaitReplication(Duration timeout) {
		awaitCaughtUp(List.copyOf(this.nodes.all()), timeout);
	}

	void awaitCaughtUp(List<ClusterNode> nodes, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<GtidPosition> target = target();
		if (target.isEmpty()) {
			return;
		}
		for (ClusterNode node : nodes) {
			awaitPosition(node.name(), target, deadline, timeout);
		}
	}

	/** The binlog position of every running primary and standby: a node has caught up once it includes them all. */
	private List<GtidPosition> target() {
		List<GtidPosition> target = new ArrayList<>();
		// Replicas are leaves: nothing they write (outside the control of the cluster) reaches anyone.
		for (ClusterNode node : this.nodes.masters()) {
			GtidPosition position = GtidPosition
				.parseMariaDb(queryIfRunning(node.name(), "SELECT @@global.gtid_binlog_pos"));
			if (!position.isEmpty()) {
				target.add(position);
			}
		}
		return target;
	}

	private void awaitPosition(String name, List<GtidPosition> target, long deadline, Duration timeout) {
		while (true) {
			String current;
			try {
				Map<String, @Nullable String> status = this.sql.replicationStatus(name);
				if (status.isEmpty()) {
					return;
				}
				if (!"Yes".equalsIgnoreCase(status.get("Slave_SQL_Running"))) {
					String errno = status.get("Last_SQL_Errno");
					if (errno != null && !"0".equals(errno)) {
						throw new IllegalStateException(name + " stopped applying replication with error " + errno
								+ ": " + status.get("Last_SQL_Error"));
					}
					return;
				}
				// Slave position for what the node applied, binlog position for what it wrote itself.
				current = this.sql.queryString(name, "SELECT @@global.gtid_current_pos");
			}
			catch (IllegalStateException ex) {
				if (!this.processes.isRunning(name)) {
					return;
				}
				throw ex;
			}
			GtidPosition have = GtidPosition.parseMariaDb(current);
			if (target.stream().allMatch(have::includes)) {
				return;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new IllegalStateException(name + " did not reach GTID positions " + target + " within " + timeout
						+ "; it is at '" + current + "', replication status " + this.sql.replicationStatusSummary(name)
						+ "; nodes not applying replication: " + notApplying());
			}
			// Polled rather than MASTER_GTID_WAIT: that function looks at the slave position only, so on a node
			// whose own writes are part of the target it would wait out its whole timeout.
			sleep(POLL_INTERVAL);
		}
	}

	/**
	 * Wait until the node's I/O thread is connected to its source.
	 */
	void awaitConnected(String name, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!"Yes".equalsIgnoreCase(this.sql.replicationStatus(name).get("Slave_IO_Running"))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(name + " did not connect to its source within " + timeout + ": "
						+ this.sql.replicationStatusSummary(name));
			}
			sleep(Duration.ofMillis(20));
		}
	}

	private List<String> notApplying() {
		List<String> names = new ArrayList<>();
		for (ClusterNode node : this.nodes.all()) {
			try {
				Map<String, @Nullable String> status = this.sql.replicationStatus(node.name());
				if (!status.isEmpty() && !"Yes".equalsIgnoreCase(status.get("Slave_SQL_Running"))) {
					names.add(node.name());
				}
			}
			catch (IllegalStateException ex) {
				names.add(node.name() + " (not running)");
			}
		}
		return names;
	}

	private @Nullable String queryIfRunning(String name, String sql) {
		try {
			return this.sql.queryString(name, sql);
		}
		catch (IllegalStateException ex) {
			if (this.processes.isRunning(name)) {
				throw ex;
			}
			return null;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
