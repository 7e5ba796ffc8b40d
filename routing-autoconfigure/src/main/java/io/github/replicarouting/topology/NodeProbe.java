package io.github.replicarouting.topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Probes one node for the {@link TopologyMonitor}, on one connection of its own kept open between runs (not from the
 * node's pool, so a saturated pool does not look like a dead node). The first connection tells the node's
 * {@link DatabaseFlavour}; a flavour that reports replication is asked through a {@link ReplicationProbe}, any other
 * node (or one that rejects those queries as unknown) is only checked for reachability.
 */
final class NodeProbe {

	private static final Log logger = LogFactory.getLog(TopologyMonitor.class);

	private final DataSourceNode node;

	private final DataSource dataSource;

	private final ProbeSettings settings;

	private volatile @Nullable Connection connection;

	/** What {@link Topology#downsOf} said when the current run began. */
	private long downsAtStart;

	/** Set while a run is in progress: a run stuck on a frozen node must not pile up the next ones behind it. */
	private final AtomicBoolean running = new AtomicBoolean();

	/** The database product, as its JDBC driver names it; known once a connection has been opened. */
	private String product = "an unknown database";

	/** How this node's replication is asked about; {@code null} until known, and for reachability checks. */
	private @Nullable ReplicationProbe replication;

	/**
	 * Set once the node turned out not to answer the replication probes; it stays set, because the database behind a
	 * node does not change, and so the warning is logged once.
	 */
	private boolean reachabilityOnly;

	NodeProbe(DataSourceNode node, DataSource dataSource, ProbeSettings settings) {
		this.node = node;
		this.dataSource = dataSource;
		this.settings = settings;
	}

	DataSourceNode node() {
		return this.node;
	}

	void run() {
		if (!this.running.compareAndSet(false, true)) {
			// The previous run is still waiting on the node; the watchdog has already reported it.
			return;
		}
		try {
			synchronized (this) {
				probeOnce();
			}
		}
		finally {
			this.running.set(false);
		}
	}

	private void probeOnce() {
		Topology topology = this.settings.topology();
		this.downsAtStart = topology.downsOf(this.node);
		try {
			Connection con = connection();
			if (topology.getStatus(this.node.getName()).state() == NodeState.DOWN) {
				// Back only once its pool hands out connections again (a pool that was failing backs off before
				// it retries): user requests must not pay for the pool's recovery.
				try (Connection pooled = this.node.getDataSource().getConnection()) {
					pooled.isValid(1);
				}
			}
			if (!this.reachabilityOnly) {
				probeReplication(con);
			}
			// Not an else: the probe itself may have found that the database does not answer it.
			if (this.reachabilityOnly) {
				checkReachable(con);
			}
		}
		catch (SQLException | RuntimeException ex) {
			closeConnection();
			if (ProbeFailures.isTimeout(ex)) {
				topology.reportNotAnswering(this.node, this.settings.timeout());
			}
			else {
				topology.reportUnreachable(this.node, ex);
			}
		}
	}

	/**
	 * The run did not finish within the monitor's timeout: the node does not answer. Abort the monitor's own
	 * connection (which frees the probe thread, whatever the driver's timeouts) and report the node. Called from the
	 * scheduler thread, without the probe's lock, which the stuck run holds.
	 */
	void giveUp() {
		Connection con = this.connection;
		if (con != null) {
			NodeConnections.abortInBackground(con);
		}
		this.settings.topology().reportNotAnswering(this.node, this.settings.timeout());
	}

	/**
	 * Ask the node about read_only, positions and replication. A query the database rejects as unknown switches the
	 * node to reachability checks: the connection worked, so the node is not down.
	 */
	private void probeReplication(Connection con) throws SQLException {
		ReplicationProbe replication = this.replication;
		if (replication == null) {
			return;
		}
		try {
			replication.probe(con, this.downsAtStart);
		}
		catch (SQLException ex) {
			if (!ProbeFailures.isUnsupported(ex)) {
				throw ex;
			}
			switchToReachabilityChecks("it rejected the monitor's query (" + Secrets.mask(ex.getMessage()) + ")");
		}
	}

	/**
	 * The node answers but cannot be asked about its role or lag: keep it in rotation while it is reachable.
	 */
	private void checkReachable(Connection con) throws SQLException {
		int seconds = (int) Math.max(1, (this.settings.timeout().toMillis() + 999) / 1000);
		if (!con.isValid(seconds)) {
			throw new SQLRecoverableException("Connection.isValid(" + seconds + ") returned false");
		}
		this.settings.topology().reportReachableUnprobed(this.node, this.product, this.downsAtStart);
	}

	private void switchToReachabilityChecks(String why) {
		this.reachabilityOnly = true;
		this.replication = null;
		logger.warn("Node '" + this.node.getName() + "' runs on " + this.product + ": " + why
				+ ". Replication lag and read_only/writer detection are not supported on " + this.product
				+ ", so the monitor only checks that the node is reachable. Routing still works: reads go to "
				+ "reachable replicas (max-replication-lag is not enforced) and writes to the configured primary "
				+ "while it is reachable; standbys never take over.");
	}

	private Connection connection() throws SQLException {
		Connection con = this.connection;
		if (con != null) {
			return con;
		}
		con = this.dataSource.getConnection();
		try {
			con.setAutoCommit(true);
			setNetworkTimeout(con);
			if (!this.reachabilityOnly && this.replication == null) {
				detectFlavour(con);
			}
		}
		catch (SQLException ex) {
			con.close();
			throw ex;
		}
		this.connection = con;
		return con;
	}

	private void setNetworkTimeout(Connection con) throws SQLException {
		try {
			con.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, this.settings.timeout().toMillis()));
		}
		catch (SQLFeatureNotSupportedException ex) {
			// Some drivers have no network timeout; the probe data source's own timeouts still apply.
			logger.debug("No network timeout for the monitor connection of '" + this.node.getName() + "'", ex);
		}
	}

	/**
	 * Find out which database the node runs, once, and tell the node. A flavour without replication queries gets
	 * reachability checks only.
	 */
	private void detectFlavour(Connection con) throws SQLException {
		String product = con.getMetaData().getDatabaseProductName();
		this.product = (product != null) ? product : "an unknown database";
		DatabaseFlavour flavour;
		try {
			flavour = DatabaseFlavours.detect(con);
		}
		catch (SQLException ex) {
			if (!ProbeFailures.isUnsupported(ex)) {
				throw ex;
			}
			switchToReachabilityChecks("it rejected the monitor's query (" + Secrets.mask(ex.getMessage()) + ")");
			return;
		}
		this.node.detected(flavour);
		if (!flavour.reportsReplication()) {
			switchToReachabilityChecks("the monitor's queries are written for MySQL and MariaDB");
			return;
		}
		this.replication = new ReplicationProbe(this.node, this.settings, flavour);
	}

	/**
	 * Close the monitor's connection; abort it instead while a run may be blocked on it (closing would wait for the
	 * driver's lock that the blocked run holds).
	 */
	void closeConnection() {
		Connection con = this.connection;
		this.connection = null;
		if (con != null) {
			try {
				if (this.running.get() && !Thread.holdsLock(this)) {
					NodeConnections.abortInBackground(con);
				}
				else {
					con.close();
				}
			}
			catch (SQLException ex) {
				logger.debug("Could not close the monitor connection of '" + this.node.getName() + "'", ex);
			}
		}
	}

}
