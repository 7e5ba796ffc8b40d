package io.github.replicarouting.topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import io.github.replicarouting.database.DatabaseFlavour.ReplicationStatus;
import io.github.replicarouting.database.DatabaseFlavour.WriterReading;
import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.GtidPosition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Asks one node of a flavour that {@linkplain DatabaseFlavour#reportsReplication() reports replication} what the
 * router needs: for the primary and standbys whether they are writable and their position; for replicas the position
 * they have applied and, where the account may read it, their replication status. The statements are the flavour's;
 * turning answers into lag and state is this class's.
 */
final class ReplicationProbe {

	private static final Log logger = LogFactory.getLog(TopologyMonitor.class);

	private final DataSourceNode node;

	private final ProbeSettings settings;

	private final DatabaseFlavour flavour;

	private boolean statusReadable = true;

	/** Set once a GTID position of this node could not be read, so that this is logged once. */
	private boolean positionWarned;

	ReplicationProbe(DataSourceNode node, ProbeSettings settings, DatabaseFlavour flavour) {
		this.node = node;
		this.settings = settings;
		this.flavour = flavour;
	}

	DatabaseFlavour flavour() {
		return this.flavour;
	}

	void probe(Connection con, long downsAtStart) throws SQLException {
		if (this.node.getRole() == NodeRole.REPLICA) {
			probeReplica(con, downsAtStart);
		}
		else {
			probeWriterCandidate(con, downsAtStart);
		}
	}

	private void probeWriterCandidate(Connection con, long downsAtStart) throws SQLException {
		WriterReading reading = this.flavour.readWriter(con);
		Topology topology = this.settings.topology();
		GtidPosition parsed = parse(reading.position());
		topology.reportReachable(this.node, reading.writable(), null, null, parsed, downsAtStart);
		if (parsed != null && topology.writer() == this.node) {
			this.settings.writerPositions().record(parsed, System.nanoTime());
		}
	}

	private void probeReplica(Connection con, long downsAtStart) throws SQLException {
		String position = this.flavour.readReplicaPosition(con);
		long now = System.nanoTime();
		GtidPosition parsed = parse(position);
		ReplicationStatus status = readReplicationStatus(con);
		Duration lag;
		if (status != null && !status.sqlThreadRunning()) {
			lag = NodeStatus.STOPPED;
		}
		else {
			WriterPositionHistory history = this.settings.writerPositions();
			GtidPosition writerPosition = history.latest();
			if (parsed != null && writerPosition != null && !writerPosition.isEmpty()) {
				lag = history.lagOf(parsed, now);
			}
			else if (status != null) {
				// No GTIDs on this server: fall back to what the replica says of itself.
				lag = (status.secondsBehind() != null) ? Duration.ofSeconds(status.secondsBehind())
						: NodeStatus.STOPPED;
			}
			else {
				lag = null;
			}
		}
		this.settings.topology()
			.reportReachable(this.node, false, lag, this.settings.maxLag(), parsed, downsAtStart);
	}

	private @Nullable ReplicationStatus readReplicationStatus(Connection con) throws SQLException {
		if (!this.statusReadable) {
			return null;
		}
		try {
			return this.flavour.readReplicationStatus(con);
		}
		catch (SQLException ex) {
			boolean accessDenied = ProbeFailures.isAccessDenied(ex);
			// A server older than the statement (SHOW REPLICA STATUS came with MySQL 8.0.22) still has GTIDs.
			if (!accessDenied && !ProbeFailures.isUnsupported(ex)) {
				throw ex;
			}
			this.statusReadable = false;
			logger.info("Cannot read the replication status of '" + this.node.getName() + "' ("
					+ Secrets.mask(ex.getMessage()) + "); lag is measured by GTID position only." + (accessDenied
							? " Grant SLAVE MONITOR (MariaDB) or REPLICATION CLIENT (MySQL) to detect stopped "
									+ "replication at once."
							: ""));
			return null;
		}
	}

	/**
	 * The node's position, or {@code null} when it cannot be read (a format this version does not know): the node
	 * answered, so it stays reachable, with unknown position and lag.
	 */
	private @Nullable GtidPosition parse(@Nullable String position) {
		try {
			return this.flavour.parsePosition(position);
		}
		catch (IllegalArgumentException ex) {
			if (!this.positionWarned) {
				this.positionWarned = true;
				logger.warn("Cannot read the GTID position of '" + this.node.getName() + "' (" + ex.getMessage()
						+ "); it stays in rotation while reachable, with unknown position and lag "
						+ "(max-replication-lag is then enforced only from the replication status, if readable; "
						+ "causal reads wait on it or go to the writer).");
			}
			return null;
		}
	}

}
