package io.github.replicarouting.benchmarks.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.replicarouting.Routing;
import io.github.replicarouting.benchmarks.Report;
import io.github.replicarouting.benchmarks.overhead.H2Nodes;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.topology.NodeStatus;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The scale model: start-up time and memory of the seed topology (primary + standby + 10 replicas, small pools)
 * against a single pool, what the monitor does on H2, and the monitor's cost per interval as replicas grow, measured
 * on the embedded MariaDB cluster.
 */
public final class ScaleModel {

	private static final Duration MONITOR_INTERVAL = Duration.ofMillis(100);

	private static final Duration MONITOR_WINDOW = Duration.ofSeconds(10);

	private final Report report;

	private final int startupRuns;

	public ScaleModel(Report report, int startupRuns) {
		this.report = report;
		this.startupRuns = startupRuns;
	}

	public void run() throws Exception {
		startup();
		monitorOnH2();
		monitorCost();
	}

	private void startup() throws Exception {
		this.report.section("Scale model: start-up and memory (H2, fresh JVM per run)");
		List<String> variants = List.of("single-pool", "routing-1", "routing-12");
		Map<String, List<Map<String, Long>>> results = new LinkedHashMap<>();
		for (int run = 0; run < this.startupRuns; run++) {
			for (String variant : variants) {
				results.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(probe(variant));
			}
		}
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Variant", "context start ms (median)", "× single pool", "first use of every pool ms",
				"heap added KB (median)", "threads added", "pools", "connections" });
		double single = median(results.get("single-pool"), "startupMicros");
		Map<String, String> labels = Map.of("single-pool", "single Boot Hikari pool",
				"routing-1", "routing DataSource, primary only",
				"routing-12", "routing DataSource, primary + standby + 10 replicas");
		results.forEach((variant, runs) -> rows.add(new String[] { labels.get(variant),
				String.format(Locale.ROOT, "%.0f", median(runs, "startupMicros") / 1000),
				String.format(Locale.ROOT, "%.2f", median(runs, "startupMicros") / single),
				String.format(Locale.ROOT, "%.1f", median(runs, "touchMicros") / 1000),
				String.format(Locale.ROOT, "%,.0f", median(runs, "heapKb")),
				String.format(Locale.ROOT, "%.0f", median(runs, "threads")),
				String.format(Locale.ROOT, "%.0f", median(runs, "pools")),
				String.format(Locale.ROOT, "%.0f", median(runs, "connections")) }));
		this.report.table(null, rows);
		this.report.line("\nPools: maximum-pool-size " + StartupProbe.MAX_POOL + ", minimum-idle 1. Same Spring setup "
				+ "(AOP, transactions, JDBC transaction manager) in every variant; " + this.startupRuns
				+ " runs each, interleaved. Heap: used heap after `System.gc()` once every pool has handed out a "
				+ "connection, minus the same before the context starts (H2 databases already created). The routing "
				+ "variants run without the monitor (on H2 it only checks reachability, see below); its own cost is "
				+ "measured on MariaDB in the next table (one scheduler of up to 4 threads, one connection per node).");
	}

	private Map<String, Long> probe(String variant) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				StartupProbe.class.getName(), variant).redirectErrorStream(true).start();
		Map<String, Long> values = new LinkedHashMap<>();
		List<String> output = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
				if (line.startsWith("RESULT ")) {
					for (String pair : line.substring(7).split(" ")) {
						String[] keyValue = pair.split("=");
						values.put(keyValue[0], Long.parseLong(keyValue[1]));
					}
				}
			}
		}
		if (process.waitFor() != 0 || values.isEmpty()) {
			throw new IllegalStateException("Start-up probe " + variant + " failed:\n" + String.join("\n", output));
		}
		return values;
	}

	private static double median(List<Map<String, Long>> runs, String key) {
		double[] values = runs.stream().mapToDouble((run) -> run.get(key)).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private void monitorOnH2() throws InterruptedException {
		this.report.section("The monitor on H2");
		H2Nodes.create(H2Nodes.NODES);
		Map<String, Object> properties = ScaleApplications.common();
		properties.put("routing.datasource.primary.url", H2Nodes.url("primary"));
		properties.put("routing.datasource.primary.username", "sa");
		for (String replica : new String[] { "replica-1", "replica-2" }) {
			properties.put("routing.datasource.replicas." + replica + ".url", H2Nodes.url(replica));
		}
		properties.put("routing.datasource.lag-check-interval", "200ms");
		properties.put("logging.level.io.github.replicarouting", "ERROR");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ScaleApplications.Routing.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties)
			.run()) {
			RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
			Thread.sleep(1000);
			List<String[]> rows = new ArrayList<>();
			rows.add(new String[] { "Node", "State after 1 s (interval 200 ms)", "Reason" });
			for (NodeStatus status : dataSource.getTopology().getStatuses()) {
				rows.add(new String[] { status.name(), status.state() + (status.writer() ? ", writer" : ""),
						status.reason().replace("|", "\\|").replace("\n", " ") });
			}
			this.report.table(null, rows);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			this.report.line("\n- read in `Routing.onReplica`: " + attempt(() -> Routing.onReplica(
					() -> jdbc.queryForObject(H2Nodes.QUERY, String.class))));
			this.report.line("- statement without a route (primary): "
					+ attempt(() -> jdbc.queryForObject(H2Nodes.QUERY, String.class)));
		}
	}

	private static String attempt(java.util.function.Supplier<String> call) {
		try {
			return "served by " + call.get();
		}
		catch (RuntimeException ex) {
			return "`" + ex.getClass().getSimpleName() + ": " + ex.getMessage().replace("\n", " ") + "`";
		}
	}

	private void monitorCost() throws Exception {
		this.report.section("Monitor cost per interval as replicas grow (embedded MariaDB cluster)");
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(2).start()) {
			Map<String, Integer> pids = mariadbPids(cluster);
			List<String[]> rows = new ArrayList<>();
			rows.add(new String[] { "Replicas configured", "probes per s (primary)", "queries per interval",
					"monitor CPU µs per interval", "server CPU µs per interval", "monitor threads",
					"replicas UP at the end" });
			Window idle = measure(cluster, pids, null, Set.of());
			int[] replicaCounts = { 2, 2, 5, 10 };
			for (int run = 0; run < replicaCounts.length; run++) {
				// The first run is an unmeasured warm-up, so that the JIT has compiled the probes.
				boolean warmUp = run == 0;
				int replicas = replicaCounts[run];
				Set<Long> stale = monitorThreadIds();
				Map<String, Object> properties = ScaleApplications.common();
				properties.put("routing.datasource.primary.url", cluster.primary().jdbcUrl("mariadb"));
				properties.put("routing.datasource.primary.username", cluster.username());
				properties.put("routing.datasource.primary.password", cluster.password());
				for (int i = 1; i <= replicas; i++) {
					ClusterNode target = cluster.replicas().get((i - 1) % cluster.replicas().size());
					properties.put("routing.datasource.replicas.replica-" + i + ".url", target.jdbcUrl("mariadb"));
				}
				properties.put("routing.datasource.hikari.maximum-pool-size", 1);
				properties.put("routing.datasource.lag-check-interval", MONITOR_INTERVAL.toMillis() + "ms");
				properties.put("routing.datasource.failover-timeout", "1s");
				properties.put("logging.level.io.github.replicarouting", "WARN");
				try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ScaleApplications.Routing.class)
					.web(WebApplicationType.NONE)
					.logStartupInfo(false)
					.properties(properties)
					.run()) {
					Thread.sleep(warmUp ? 5000 : 2000);
					if (warmUp) {
						continue;
					}
					Window window = measure(cluster, pids, context.getBean(RoutingDataSource.class), stale);
					double intervals = (window.questions.get(ReplicationCluster.PRIMARY)
							- idle.questions.get(ReplicationCluster.PRIMARY)) ;
					double queries = window.totalQuestions() - idle.totalQuestions();
					double serverCpu = window.serverCpuMicros - idle.serverCpuMicros;
					rows.add(new String[] { Integer.toString(replicas),
							String.format(Locale.ROOT, "%.1f", intervals / window.seconds),
							String.format(Locale.ROOT, "%.1f", queries / intervals),
							String.format(Locale.ROOT, "%,.0f", window.monitorCpuMicros / intervals),
							String.format(Locale.ROOT, "%,.0f", serverCpu / intervals),
							Integer.toString(window.monitorThreads),
							window.replicasUp + " of " + replicas });
				}
			}
			this.report.table(null, rows);
			this.report.line("\nlag-check-interval " + MONITOR_INTERVAL.toMillis() + " ms (to get many intervals in a "
					+ MONITOR_WINDOW.toSeconds() + " s window), replica URLs alternating over the cluster's 2 replicas. "
					+ "An interval = one probe of the primary (its `Questions` counter); queries from the server's "
					+ "`Questions` on every node, server CPU from `/proc/<mariadbd>/stat`, both minus an idle window "
					+ "without the application; monitor CPU = CPU time of the `routing-monitor-*` threads. The "
					+ "application account has no SLAVE MONITOR, so `SHOW SLAVE STATUS` is refused once per replica "
					+ "and lag is measured by GTID only (1 query per replica per interval).");
		}
	}

	private Window measure(ReplicationCluster cluster, Map<String, Integer> pids, RoutingDataSource dataSource,
			Set<Long> staleThreads) throws Exception {
		Map<String, Long> questionsBefore = questions(cluster);
		long cpuBefore = serverCpuMicros(pids);
		long monitorBefore = monitorCpuNanos(staleThreads);
		long start = System.nanoTime();
		Thread.sleep(MONITOR_WINDOW.toMillis());
		Map<String, Long> questionsAfter = questions(cluster);
		long cpuAfter = serverCpuMicros(pids);
		long monitorAfter = monitorCpuNanos(staleThreads);
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Long> delta = new TreeMap<>();
		questionsAfter.forEach((node, value) -> delta.put(node, value - questionsBefore.get(node)));
		int up = 0;
		if (dataSource != null) {
			up = (int) dataSource.getTopology()
				.getStatuses()
				.stream()
				.filter((status) -> status.name().startsWith("replica")
						&& status.state() == io.github.replicarouting.topology.NodeState.UP)
				.count();
		}
		return new Window(seconds, delta, cpuAfter - cpuBefore, (monitorAfter - monitorBefore) / 1000,
				monitorThreadIds().size() - (int) monitorThreadIds().stream().filter(staleThreads::contains).count(), up);
	}

	private static Map<String, Long> questions(ReplicationCluster cluster) {
		Map<String, Long> questions = new TreeMap<>();
		for (ClusterNode node : cluster.nodes()) {
			questions.put(node.name(), cluster.queryLong(node.name(),
					"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'"));
		}
		return questions;
	}

	/** CPU time of the monitor threads of the running application (threads of closed ones excluded). */
	private static long monitorCpuNanos(Set<Long> staleThreads) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long id : monitorThreadIds()) {
			if (!staleThreads.contains(id)) {
				total += Math.max(0, threads.getThreadCpuTime(id));
			}
		}
		return total;
	}

	private static Set<Long> monitorThreadIds() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Set<Long> ids = new HashSet<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith("routing-monitor-")) {
				ids.add(info.getThreadId());
			}
		}
		return ids;
	}

	/** The mariadbd process of each node, found by its port on the command line. */
	private static Map<String, Integer> mariadbPids(ReplicationCluster cluster) throws IOException {
		Map<String, Integer> pids = new TreeMap<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter((path) -> path.getFileName().toString().matches("\\d+")).toList()) {
				String commandLine;
				try {
					commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
						.replace('\0', ' ');
				}
				catch (IOException ex) {
					continue;
				}
				if (!commandLine.contains("mariadbd") && !commandLine.contains("mysqld")) {
					continue;
				}
				for (ClusterNode node : cluster.nodes()) {
					if (commandLine.contains("--port=" + node.port() + " ") || commandLine.endsWith("--port=" + node.port())) {
						pids.put(node.name(), Integer.parseInt(process.getFileName().toString()));
					}
				}
			}
		}
		return pids;
	}

	private static long serverCpuMicros(Map<String, Integer> pids) {
		long ticks = 0;
		for (int pid : pids.values()) {
			try {
				String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException ex) {
				// Process gone: counts as nothing.
			}
		}
		return ticks * 10_000;
	}

	private record Window(double seconds, Map<String, Long> questions, long serverCpuMicros, long monitorCpuMicros,
			int monitorThreads, int replicasUp) {

		long totalQuestions() {
			return this.questions.values().stream().mapToLong(Long::longValue).sum();
		}

	}

}
