package io.github.replicarouting.topology;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Schedules the probes of every node, once per interval, and reports to the {@link Topology}: reachable or not; for
 * the primary and standbys whether they are writable ({@code @@read_only}); for replicas how far behind the writer
 * they are. Each node has a probe of its own, on its own connection (not from the node's pool, so a saturated pool
 * does not look like a dead node); what it asks is its {@link io.github.replicarouting.database.DatabaseFlavour}'s.
 * The monitor also checks the writers at once when the topology asks ({@link TopologyListener#writerCheckRequested()}),
 * at most every 50 ms, and gives up on a probe that overruns its timeout (a frozen node).
 *
 * <p>Lag is measured by GTID: the writer's position is sampled every interval, and a replica's lag is how long ago the
 * writer first had a transaction the replica has not applied. Where the account may read the replication status
 * ({@code SLAVE MONITOR} on MariaDB, {@code REPLICATION CLIENT} on MySQL), a stopped SQL thread counts as infinitely
 * behind at once, and {@code Seconds_Behind_Master} is used when the server has no GTIDs. The cost is one or two
 * queries per node per interval, whatever the request rate.
 *
 * <p>Only MySQL and MariaDB (their flavours, detected from the JDBC driver's product name) are asked about read_only
 * and replication. On any
 * other database, or on one that answers those queries with "syntax error", "unknown function" or "unknown
 * variable", the monitor only checks that the node is reachable ({@link java.sql.Connection#isValid(int)}) and says so once
 * per node at WARN: nodes stay in rotation while reachable, replicas are never lagging, and the configured primary
 * keeps the writes while it is reachable (a standby never takes over, since nothing says it is writable). A node that
 * cannot be connected to is down, on any database.
 *
 * <p>Over 250 lines: scheduling, the throttled writer checks, the watchdog that gives up on frozen nodes and the
 * probes of replicas added or removed at run time; everything asked of a node is in {@code NodeProbe} and {@code ReplicationProbe}.
 *
 * @since 0.1.0
 */
public final class TopologyMonitor implements Closeable {

	// Scheduling only: what a probe asks a node is NodeProbe's and ReplicationProbe's, the SQL is the flavour's.

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

	private final Duration timeout;

	// Copy-on-write: replicas added or removed at run time change it while a round runs.
	private final List<NodeProbe> probes = new CopyOnWriteArrayList<>();

	private final ProbeSettings settings;

	private final Function<DataSourceNode, DataSource> probeDataSources;

	private final TopologyListener topologyChanges = new TopologyListener() {

		@Override
		public void writerCheckRequested() {
			checkWritersSoon();
		}

		@Override
		public void nodeAdded(DataSourceNode node) {
			addProbe(node);
		}

		@Override
		public void nodeRemoved(DataSourceNode node) {
			removeProbe(node);
		}

	};

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
		this(topology, (node) -> {
			DataSource dataSource = probeDataSources.get(node);
			if (dataSource == null) {
				throw new IllegalArgumentException("No probe data source for node '" + node.getName() + "'");
			}
			return dataSource;
		}, interval, maxLag, timeout);
	}

	/**
	 * Create a monitor that also probes replicas added to the topology at run time.
	 * @param topology where to report
	 * @param probeDataSources makes an unpooled data source for a node, used for the monitor's own connection to it
	 * @param interval time between two probes of a node
	 * @param maxLag the largest acceptable replica lag, or {@code null} for no limit
	 * @param timeout how long a probe query may take before the node counts as unreachable
	 */
	public TopologyMonitor(Topology topology, Function<DataSourceNode, DataSource> probeDataSources,
			Duration interval, @Nullable Duration maxLag, Duration timeout) {
		this.topology = topology;
		this.probeDataSources = probeDataSources;
		this.interval = interval;
		this.timeout = timeout;
		// Keep enough writer samples to measure lags well past the limit.
		long limitIntervals = (maxLag != null) ? (maxLag.toMillis() / Math.max(1, interval.toMillis())) : 0;
		this.settings = new ProbeSettings(topology, timeout, maxLag,
				new WriterPositionHistory((int) Math.min(10_000, Math.max(64, limitIntervals * 4))));
		for (DataSourceNode node : topology.getNodes()) {
			this.probes.add(new NodeProbe(node, probeDataSources.apply(node), this.settings));
		}
		// From construction, so that a replica added before start() is probed too.
		topology.addListener(this.topologyChanges);
	}

	/**
	 * A replica was added: probe it from the next round on (and at once, so that it joins without waiting a round).
	 */
	private void addProbe(DataSourceNode node) {
		NodeProbe probe = new NodeProbe(node, this.probeDataSources.apply(node), this.settings);
		this.probes.add(probe);
		ExecutorService probeExecutor = this.probeExecutor;
		if (probeExecutor != null) {
			try {
				probeExecutor.execute(probe::run);
			}
			catch (RejectedExecutionException ex) {
				// Closing.
			}
		}
	}

	private void removeProbe(DataSourceNode node) {
		for (NodeProbe probe : this.probes) {
			if (probe.node() == node) {
				this.probes.remove(probe);
				probe.closeConnection();
			}
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
		this.probeExecutor = Executors.newFixedThreadPool(4, daemons);
		scheduler.scheduleAtFixedRate(this::tick, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		// Again after a close(), which stopped listening.
		this.topology.removeListener(this.topologyChanges);
		this.topology.addListener(this.topologyChanges);
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
			if (probe.node().getRole() != NodeRole.REPLICA
					&& this.topology.getStatus(probe.node().getName()).state() != NodeState.DOWN) {
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
			(probe.node().getRole() == NodeRole.REPLICA ? replicas : writers).add(probe);
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
		this.topology.removeListener(this.topologyChanges);
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

}
