package io.github.replicarouting.topology;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Probes every node once per interval, on its own connection (not from the node's pool, so a saturated pool does not
 * look like a dead node), and reports to the {@link Topology}: reachable or not; for the primary and standbys whether
 * they are writable ({@code @@read_only}); for replicas how far behind the writer they are.
 *
 * <p>Lag is measured by GTID: the writer's position is sampled every interval, and a replica's lag is how long ago the
 * writer first had a transaction the replica has not applied. Where the account may read the replication status
 * ({@code SLAVE MONITOR} on MariaDB, {@code REPLICATION CLIENT} on MySQL), a stopped SQL thread counts as infinitely
 * behind at once, and {@code Seconds_Behind_Master} is used when the server has no GTIDs. The cost is one or two
 * queries per node per interval, whatever the request rate.
 *
 * <p>Only MySQL and MariaDB (by the JDBC driver's product name) are asked about read_only and replication. On any
 * other database, or on one that answers those queries with "syntax error", "unknown function" or "unknown
 * variable", the monitor only checks that the node is reachable ({@link Connection#isValid(int)}) and says so once
 * per node at WARN: nodes stay in rotation while reachable, replicas are never lagging, and the configured primary
 * keeps the writes while it is reachable (a standby never takes over, since nothing says it is writable). A node that
 * cannot be connected to is down, on any database.
 *
 * @since 0.1.0
 */
public final class TopologyMonitor implements Closeable {

	private static final Log logger = LogFactory.getLog(TopologyMonitor.class);

	/**
	 * Writer checks on request are at least this far apart: an application that keeps writing in the wrong place
	 * must not turn the monitor into a busy loop.
	 */
	private static final Duration WRITER_CHECK_SPACING = Duration.ofMillis(50);

	/** How much longer than its timeout a probe may run before the monitor gives up on the node. */
	private static final Duration WATCHDOG_GRACE = Duration.ofMillis(100);

	private final Topology topology;

	private final Duration interval;

	private final @Nullable Duration maxLag;

	private final Duration timeout;

	private final List<NodeProbe> probes = new ArrayList<>();

	private final WriterPositionHistory writerPositions;

	private volatile @Nullable ScheduledExecutorService executor;

	private final AtomicBoolean writerCheckPending = new AtomicBoolean();

	private volatile long lastWriterCheckNanos = System.nanoTime() - WRITER_CHECK_SPACING.toNanos();

	private volatile @Nullable ExecutorService probeExecutor;

	/**
	 * Create a monitor.
	 * @param topology where to report
	 * @param probeDataSources an unpooled data source per node, used for the monitor's own connections
	 * @param interval time between two probes of a node
	 * @param maxLag the largest acceptable replica lag, or {@code null} for no limit
	 * @param timeout how long a probe query may take before the node counts as unreachable
	 */
	public TopologyMonitor(Topology topology, Map<DataSourceNode, DataSource> probeDataSources, Duration interval,
			@Nullable Duration maxLag, Duration timeout) {
		this.topology = topology;
		this.interval = interval;
		this.maxLag = maxLag;
		this.timeout = timeout;
		// Keep enough writer samples to measure lags well past the limit.
		long limitIntervals = (maxLag != null) ? (maxLag.toMillis() / Math.max(1, interval.toMillis())) : 0;
		this.writerPositions = new WriterPositionHistory((int) Math.min(10_000, Math.max(64, limitIntervals * 4)));
		for (DataSourceNode node : topology.getNodes()) {
			DataSource dataSource = probeDataSources.get(node);
			if (dataSource == null) {
				throw new IllegalArgumentException("No probe data source for node '" + node.getName() + "'");
			}
			this.probes.add(new NodeProbe(node, dataSource));
		}
	}

	/**
	 * Start probing in the background, every node at once first.
	 */
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory daemons = (task) -> {
			Thread thread = new Thread(task, "routing-monitor-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemons);
		this.executor = scheduler;
		this.probeExecutor = Executors.newFixedThreadPool(Math.min(this.probes.size(), 4), daemons);
		scheduler.scheduleAtFixedRate(this::tick, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.topology.onWriterCheckRequested(this::checkWritersSoon);
	}

	/**
	 * Probe the primary and standbys once more, on the scheduler thread (so never beside a regular round), unless a
	 * check is already waiting or one ran less than {@link #WRITER_CHECK_SPACING} ago.
	 */
	private void checkWritersSoon() {
		ScheduledExecutorService scheduler = this.executor;
		if (scheduler == null || System.nanoTime() - this.lastWriterCheckNanos < WRITER_CHECK_SPACING.toNanos()
				|| !this.writerCheckPending.compareAndSet(false, true)) {
			return;
		}
		try {
			scheduler.execute(() -> {
				try {
					runAll(writerProbes());
				}
				finally {
					this.lastWriterCheckNanos = System.nanoTime();
					this.writerCheckPending.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closing.
			this.writerCheckPending.set(false);
		}
	}

	/**
	 * The primary and standbys that are reachable: a switchover shows on them. Unreachable ones are left to the
	 * regular rounds, so that a dead writer does not keep the scheduler waiting on connect timeouts.
	 */
	private List<NodeProbe> writerProbes() {
		List<NodeProbe> writers = new ArrayList<>();
		for (NodeProbe probe : this.probes) {
			if (probe.node.getRole() != NodeRole.REPLICA
					&& this.topology.getStatus(probe.node.getName()).state() != NodeState.DOWN) {
				writers.add(probe);
			}
		}
		return writers;
	}

	/**
	 * One round: the primary and standbys first, then the replicas, each group in parallel. Probing replicas right
	 * after the writer keeps a lag measurement at most one interval behind the writer's position.
	 */
	private void tick() {
		List<NodeProbe> replicas = new ArrayList<>();
		List<NodeProbe> writers = new ArrayList<>();
		for (NodeProbe probe : this.probes) {
			(probe.node.getRole() == NodeRole.REPLICA ? replicas : writers).add(probe);
		}
		runAll(writers);
		runAll(replicas);
	}

	/**
	 * Run the probes of a group in parallel and wait for them, at most the monitor's timeout (plus a little, so that
	 * a driver's own timeout, which says more, usually comes first). A probe still running then is stuck on a node
	 * that does not answer, on any database and whatever its driver's timeouts: its connection is aborted and the
	 * node reported as not answering, so nothing waits on a frozen node longer than one timeout.
	 */
	private void runAll(List<NodeProbe> group) {
		ExecutorService probeExecutor = this.probeExecutor;
		if (probeExecutor == null) {
			return;
		}
		List<Future<?>> running = new ArrayList<>(group.size());
		try {
			for (NodeProbe probe : group) {
				running.add(probeExecutor.submit(probe::run));
			}
		}
		catch (RejectedExecutionException ex) {
			// Closing.
			return;
		}
		long deadline = System.nanoTime() + this.timeout.toNanos() + WATCHDOG_GRACE.toNanos();
		for (int i = 0; i < running.size(); i++) {
			try {
				running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				group.get(i).giveUp();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ExecutionException ex) {
				logger.debug("A monitor probe failed", ex);
			}
		}
	}

	/**
	 * Probe every node once, now, on the calling thread.
	 */
	public void probeAll() {
		for (NodeProbe probe : this.probes) {
			probe.run();
		}
	}

	/**
	 * The time between two probes of a node.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.interval;
	}

	/**
	 * Stop probing and close the monitor's connections.
	 */
	@Override
	public synchronized void close() {
		this.topology.onWriterCheckRequested(null);
		if (this.executor != null) {
			this.executor.shutdownNow();
			ExecutorService probes = this.probeExecutor;
			this.probeExecutor = null;
			if (probes != null) {
				probes.shutdownNow();
			}
			try {
				this.executor.awaitTermination(5, TimeUnit.SECONDS);
				if (probes != null) {
					probes.awaitTermination(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
		for (NodeProbe probe : this.probes) {
			probe.closeConnection();
		}
	}

	private static boolean isMySqlOrMariaDb(@Nullable String product) {
		return product != null && (product.contains("MySQL") || product.contains("MariaDB"));
	}

	/**
	 * Probes one node, on one connection kept open between runs.
	 */
	private final class NodeProbe {

		private final DataSourceNode node;

		private final DataSource dataSource;

		private volatile @Nullable Connection connection;

		/** What {@link Topology#downsOf} said when the current run began. */
		private long downsAtStart;

		/** Set while a run is in progress: a run stuck on a frozen node must not pile up the next ones behind it. */
		private final AtomicBoolean running = new AtomicBoolean();

		private boolean mariaDb;

		private boolean statusReadable = true;

		/** Set once a GTID position of this node could not be read, so that this is logged once. */
		private boolean positionWarned;

		/** The database product, as its JDBC driver names it; known once a connection has been opened. */
		private String product = "an unknown database";

		/**
		 * Set once the node turned out not to answer the MySQL/MariaDB probes; it stays set, because the database
		 * behind a node does not change, and so the warning is logged once.
		 */
		private boolean reachabilityOnly;

		NodeProbe(DataSourceNode node, DataSource dataSource) {
			this.node = node;
			this.dataSource = dataSource;
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
			this.downsAtStart = TopologyMonitor.this.topology.downsOf(this.node);
			try {
				Connection con = connection();
				if (TopologyMonitor.this.topology.getStatus(this.node.getName()).state() == NodeState.DOWN) {
					// Back only once its pool hands out connections again (a pool that was failing backs off before
					// it retries): user requests must not pay for the pool's recovery.
					try (Connection pooled = this.node.getDataSource().getConnection()) {
						pooled.isValid(1);
					}
				}
				if (!this.reachabilityOnly) {
					probe(con);
				}
				// Not an else: the probe itself may have found that the database does not answer it.
				if (this.reachabilityOnly) {
					checkReachable(con);
				}
			}
			catch (SQLException | RuntimeException ex) {
				closeConnection();
				if (ProbeFailures.isTimeout(ex)) {
					TopologyMonitor.this.topology.reportNotAnswering(this.node, TopologyMonitor.this.timeout);
				}
				else {
					TopologyMonitor.this.topology.reportUnreachable(this.node, ex);
				}
			}
		}

		/**
		 * The run did not finish within the monitor's timeout: the node does not answer. Abort the monitor's own
		 * connection (which frees the probe thread, whatever the driver's timeouts) and report the node. Called from
		 * the scheduler thread, without the probe's lock, which the stuck run holds.
		 */
		void giveUp() {
			Connection con = this.connection;
			if (con != null) {
				NodeConnections.abortInBackground(con);
			}
			TopologyMonitor.this.topology.reportNotAnswering(this.node, TopologyMonitor.this.timeout);
		}

		/**
		 * Ask the node about read_only, GTIDs and replication. A query the database rejects as unknown switches the
		 * node to reachability checks: the connection worked, so the node is not down.
		 */
		private void probe(Connection con) throws SQLException {
			try {
				if (this.node.getRole() == NodeRole.REPLICA) {
					probeReplica(con);
				}
				else {
					probeWriterCandidate(con);
				}
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
			int seconds = (int) Math.max(1, (TopologyMonitor.this.timeout.toMillis() + 999) / 1000);
			if (!con.isValid(seconds)) {
				throw new SQLRecoverableException("Connection.isValid(" + seconds + ") returned false");
			}
			TopologyMonitor.this.topology.reportReachableUnprobed(this.node, this.product, this.downsAtStart);
		}

		private void switchToReachabilityChecks(String why) {
			this.reachabilityOnly = true;
			logger.warn("Node '" + this.node.getName() + "' runs on " + this.product + ": " + why
					+ ". Replication lag and read_only/writer detection are not supported on " + this.product
					+ ", so the monitor only checks that the node is reachable. Routing still works: reads go to "
					+ "reachable replicas (max-replication-lag is not enforced) and writes to the configured primary "
					+ "while it is reachable; standbys never take over.");
		}

		private void probeWriterCandidate(Connection con) throws SQLException {
			String positionVariable = this.mariaDb ? "@@global.gtid_binlog_pos" : "@@global.gtid_executed";
			boolean writable;
			String position;
			try (Statement statement = con.createStatement();
					ResultSet result = statement.executeQuery("SELECT @@global.read_only, " + positionVariable)) {
				result.next();
				writable = result.getInt(1) == 0;
				position = result.getString(2);
			}
			Topology topology = TopologyMonitor.this.topology;
			GtidPosition parsed = parse(position);
			topology.reportReachable(this.node, writable, null, null, parsed, this.downsAtStart);
			if (parsed != null && topology.writer() == this.node) {
				TopologyMonitor.this.writerPositions.record(parsed, System.nanoTime());
			}
		}

		private void probeReplica(Connection con) throws SQLException {
			String positionVariable = this.mariaDb ? "@@global.gtid_slave_pos" : "@@global.gtid_executed";
			String position;
			try (Statement statement = con.createStatement();
					ResultSet result = statement.executeQuery("SELECT " + positionVariable)) {
				result.next();
				position = result.getString(1);
			}
			long now = System.nanoTime();
			GtidPosition parsed = parse(position);
			ReplicationStatus status = readReplicationStatus(con);
			Duration lag;
			if (status != null && !status.sqlThreadRunning()) {
				lag = NodeStatus.STOPPED;
			}
			else {
				WriterPositionHistory history = TopologyMonitor.this.writerPositions;
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
			TopologyMonitor.this.topology.reportReachable(this.node, false, lag, TopologyMonitor.this.maxLag, parsed,
					this.downsAtStart);
		}

		private @Nullable ReplicationStatus readReplicationStatus(Connection con) throws SQLException {
			if (!this.statusReadable) {
				return null;
			}
			try (Statement statement = con.createStatement();
					ResultSet result = statement
						.executeQuery(this.mariaDb ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS")) {
				if (!result.next()) {
					return new ReplicationStatus(false, null);
				}
				String sqlRunning = result.getString(this.mariaDb ? "Slave_SQL_Running" : "Replica_SQL_Running");
				String behindColumn = this.mariaDb ? "Seconds_Behind_Master" : "Seconds_Behind_Source";
				long behind = result.getLong(behindColumn);
				Long secondsBehind = result.wasNull() ? null : behind;
				return new ReplicationStatus("Yes".equalsIgnoreCase(sqlRunning), secondsBehind);
			}
			catch (SQLException ex) {
				boolean accessDenied = ProbeFailures.isAccessDenied(ex);
				// A server older than the statement (SHOW REPLICA STATUS came with MySQL 8.0.22) still has GTIDs.
				if (!accessDenied && !ProbeFailures.isUnsupported(ex)) {
					throw ex;
				}
				this.statusReadable = false;
				logger.info("Cannot read the replication status of '" + this.node.getName() + "' (" + Secrets.mask(ex.getMessage())
						+ "); lag is measured by GTID position only." + (accessDenied
								? " Grant SLAVE MONITOR (MariaDB) or REPLICATION CLIENT (MySQL) to detect stopped "
										+ "replication at once."
								: ""));
				return null;
			}
		}

		/**
		 * The node's position, or {@code null} when it cannot be read (a format this version does not know): the
		 * node answered, so it stays reachable, with unknown position and lag.
		 */
		private @Nullable GtidPosition parse(@Nullable String position) {
			try {
				return this.mariaDb ? GtidPosition.parseMariaDb(position) : GtidPosition.parseMySql(position);
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

		private Connection connection() throws SQLException {
			Connection con = this.connection;
			if (con != null) {
				return con;
			}
			con = this.dataSource.getConnection();
			try {
				con.setAutoCommit(true);
				setNetworkTimeout(con);
				if (!this.reachabilityOnly) {
					detectDatabase(con);
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
				con.setNetworkTimeout(Runnable::run,
						(int) Math.min(Integer.MAX_VALUE, TopologyMonitor.this.timeout.toMillis()));
			}
			catch (SQLFeatureNotSupportedException ex) {
				// Some drivers have no network timeout; the probe data source's own timeouts still apply.
				logger.debug("No network timeout for the monitor connection of '" + this.node.getName() + "'", ex);
			}
		}

		/**
		 * Find out whether the node is MySQL or MariaDB, and which of the two, or another database that only gets
		 * reachability checks. The driver's product name does not tell MariaDB from MySQL with MySQL Connector/J,
		 * the version does.
		 */
		private void detectDatabase(Connection con) throws SQLException {
			String product = con.getMetaData().getDatabaseProductName();
			this.product = (product != null) ? product : "an unknown database";
			if (!isMySqlOrMariaDb(product)) {
				switchToReachabilityChecks("the monitor's queries are written for MySQL and MariaDB");
				return;
			}
			try (Statement statement = con.createStatement();
					ResultSet result = statement.executeQuery("SELECT VERSION()")) {
				result.next();
				this.mariaDb = result.getString(1).toLowerCase(Locale.ROOT).contains("mariadb");
			}
			catch (SQLException ex) {
				if (!ProbeFailures.isUnsupported(ex)) {
					throw ex;
				}
				switchToReachabilityChecks("it rejected the monitor's query (" + Secrets.mask(ex.getMessage()) + ")");
			}
		}

		/**
		 * Close the monitor's connection; abort it instead while a run may be blocked on it (closing would wait for
		 * the driver's lock that the blocked run holds).
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

	private record ReplicationStatus(boolean sqlThreadRunning, @Nullable Long secondsBehind) {
	}

}
