package io.github.replicarouting.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.replicarouting.benchmarks.overhead.JdbcReadBenchmark;
import io.github.replicarouting.benchmarks.overhead.ReadOnlyTransactionBenchmark;
import io.github.replicarouting.benchmarks.overhead.Router;
import io.github.replicarouting.routing.RoutingHotPathBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH part (routing overhead, the router alone, the hot path's pieces) with the GC profiler and turns the
 * results into Markdown tables: ratios to raw Hikari first, the fastest iteration beside the mean, bytes per operation.
 */
final class OverheadSuite {

	private final Settings settings;

	private final Report report;

	OverheadSuite(Settings settings, Report report) {
		this.settings = settings;
		this.report = report;
	}

	void runOverhead() throws RunnerException {
		this.report.section("Routing overhead: a read-only transaction through a Spring bean");
		this.report.line("`@Transactional(readOnly = true)` bean method (our `@ReadOnly` path: `@ReadOnly @Transactional`; "
				+ "dynamic-datasource: `@DS(\"slave\") @Transactional(readOnly = true)`), `DataSourceTransactionManager`, "
				+ "`DataSourceUtils.getConnection` → `SELECT node FROM node_marker WHERE id = 1` → commit → release. "
				+ "H2 in-memory nodes, Hikari pools of 8 everywhere. " + this.settings.describe());
		for (int threads : this.settings.threads()) {
			Collection<RunResult> results = run(Pattern.quote(ReadOnlyTransactionBenchmark.class.getName()) + "\\.readOnlyTransaction$",
					threads, this.settings.forks(), "tx-" + threads);
			this.report.table(threads + " thread" + ((threads > 1) ? "s" : "") + " (ns/op per thread)",
					routerTable(results));
		}
	}

	void runRouterAlone() throws RunnerException {
		this.report.section("The router alone: plain JDBC read, no Spring transaction");
		this.report.line("`getConnection()` → same `SELECT` → `close()`, autocommit; the route requested as each "
				+ "alternative expects: our scope as `@ReadOnly` opens it (`RoutingContext.push`), or "
				+ "`Connection.setReadOnly(true)` (our readOnly path and Spring's lazy proxy), "
				+ "`DynamicDataSourceContextHolder.push(\"slave\")`, nothing for ShardingSphere. " + this.settings.describe());
		Collection<RunResult> results = run(Pattern.quote(JdbcReadBenchmark.class.getName()) + "\\.read$", 1, this.settings.forks(),
				"jdbc-1");
		this.report.table("1 thread", routerTable(results));
	}

	void runHotPath() throws RunnerException {
		this.report.section("Our hot path, piece by piece (1 thread, allocation is exact)");
		Collection<RunResult> results = run(Pattern.quote(RoutingHotPathBenchmark.class.getName()) + "\\..*", 1,
				1, "hotpath");
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Piece", "B/op", "ns/op (mean)", "ns/op (fastest iteration)" });
		List<RunResult> sorted = new ArrayList<>(results);
		sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
		for (RunResult result : sorted) {
			String name = result.getParams().getBenchmark();
			name = name.substring(name.lastIndexOf('.') + 1);
			rows.add(new String[] { "`" + name + "`", bytes(allocation(result)), mean(result),
					format(fastest(result)) });
		}
		this.report.table(null, rows);
	}

	void runAttribution() throws RunnerException {
		this.report.section("Exact allocation with escape analysis off (1 thread)");
		this.report.line("The same read-only transaction with `-XX:-DoEscapeAnalysis`: every allocation the code asks for "
				+ "is made, so the difference to raw Hikari is exactly what each router allocates (with escape analysis "
				+ "on, the JIT removes some of it, more or less depending on inlining).");
		Collection<RunResult> results = run(Pattern.quote(ReadOnlyTransactionBenchmark.class.getName())
				+ "\\.readOnlyTransaction$", 1, 1, "tx-no-escape-analysis", "-XX:-DoEscapeAnalysis");
		this.report.table(null, routerTable(results));
		exactAllocation();
	}

	/**
	 * The same figure counted for the benchmark thread alone ({@link ExactAllocation}, a fresh JVM with escape
	 * analysis off), which other threads and other processes on the machine cannot disturb.
	 */
	private void exactAllocation() {
		List<String> command = new ArrayList<>(List.of(
				java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms1g", "-Xmx1g",
				"-XX:-DoEscapeAnalysis", "-cp", System.getProperty("java.class.path"),
				io.github.replicarouting.benchmarks.overhead.ExactAllocation.class.getName()));
		Map<String, double[]> exact = new LinkedHashMap<>();
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			try (java.io.BufferedReader reader = new java.io.BufferedReader(
					new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					if (line.startsWith("[exact] ")) {
						String[] parts = line.substring(8).split(" ");
						exact.put(parts[0], new double[] { Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
								Double.parseDouble(parts[3]), Double.parseDouble(parts[4]) });
					}
				}
			}
			process.waitFor();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		double raw = exact.getOrDefault(Router.RAW_HIKARI.id(), new double[] { Double.NaN })[0];
		double proxied = exact.getOrDefault(Router.RAW_HIKARI_PROXIED.id(), new double[] { raw })[0];
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Alternative", "B/op (benchmark thread)", "extra B/op vs raw",
				"extra B/op vs its like-for-like baseline", "three rounds of 10,000" });
		exact.forEach((id, values) -> {
			Router router = Router.of(id);
			double baseline = (router == Router.ROUTING_ANNOTATION) ? proxied : raw;
			rows.add(new String[] { router.label(), bytes(values[0]), signed(values[0] - raw),
					(router == Router.RAW_HIKARI || router == Router.RAW_HIKARI_PROXIED) ? "-"
							: signed(values[0] - baseline)
									+ ((router == Router.ROUTING_ANNOTATION) ? " (vs raw-hikari-proxied)" : " (vs raw-hikari)"),
					bytes(values[1]) + " / " + bytes(values[2]) + " / " + bytes(values[3]) });
		});
		this.report.line("\nThe same transactions, bytes allocated by the calling thread alone "
				+ "(`ThreadMXBean.getCurrentThreadAllocatedBytes`, escape analysis off, 30,000 warm-up operations, then "
				+ "the least of three rounds of 10,000): JMH's figure above sums every thread of the JVM, so the "
				+ "monitor, the pools' housekeeping and H2 add to it when few operations run per second (a busy "
				+ "machine); this one does not move with the machine's load.");
		this.report.table(null, rows);
	}

	private Collection<RunResult> run(String include, int threads, int forks, String name, String... jvmArgs)
			throws RunnerException {
		ChainedOptionsBuilder options = new OptionsBuilder().include(include)
			.threads(threads)
			.forks(forks)
			.warmupIterations(this.settings.warmupIterations())
			.warmupTime(TimeValue.milliseconds(this.settings.warmupMillis()))
			.measurementIterations(this.settings.measurementIterations())
			.measurementTime(TimeValue.milliseconds(this.settings.measurementMillis()))
			.addProfiler(GCProfiler.class)
			.jvmArgs("-Xms1g", "-Xmx1g")
			.jvmArgsAppend(jvmArgs)
			.shouldFailOnError(true)
			.result(this.report.directory().resolve("jmh-" + name + ".json").toString())
			.resultFormat(ResultFormatType.JSON);
		return new Runner(options.build()).run();
	}

	private static List<String[]> routerTable(Collection<RunResult> results) {
		Map<String, RunResult> byRouter = new LinkedHashMap<>();
		for (Router router : Router.values()) {
			results.stream()
				.filter((result) -> router.id().equals(result.getParams().getParam("router")))
				.findFirst()
				.ifPresent((result) -> byRouter.put(router.id(), result));
		}
		RunResult raw = byRouter.get(Router.RAW_HIKARI.id());
		double rawMean = raw.getPrimaryResult().getScore();
		double rawFastest = fastest(raw);
		double rawBytes = allocation(raw);
		RunResult proxied = byRouter.get(Router.RAW_HIKARI_PROXIED.id());
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Alternative", "× raw (fastest iter.)", "× raw (mean)", "extra B/op",
				"extra B/op vs its like-for-like baseline", "ns/op fastest", "ns/op mean ± 99.9%", "B/op" });
		byRouter.forEach((id, result) -> {
			double bytes = allocation(result);
			// @ReadOnly @Transactional is a proxy of two advices: its baseline is raw Hikari behind two advices.
			RunResult baseline = (Router.of(id) == Router.ROUTING_ANNOTATION && proxied != null) ? proxied : raw;
			rows.add(new String[] { Router.of(id).label(), ratio(fastest(result) / rawFastest),
					ratio(result.getPrimaryResult().getScore() / rawMean),
					(result == raw) ? "0" : signed(bytes - rawBytes),
					(result == raw || result == proxied) ? "-"
							: signed(bytes - allocation(baseline)) + " (vs " + Router.of(baseline.getParams()
								.getParam("router")).id() + ")",
					format(fastest(result)), mean(result), bytes(bytes) });
		});
		return rows;
	}

	static double fastest(RunResult result) {
		double fastest = Double.MAX_VALUE;
		for (BenchmarkResult fork : result.getBenchmarkResults()) {
			for (IterationResult iteration : fork.getIterationResults()) {
				fastest = Math.min(fastest, iteration.getPrimaryResult().getScore());
			}
		}
		return fastest;
	}

	static double allocation(RunResult result) {
		for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
			if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
				return entry.getValue().getScore();
			}
		}
		return Double.NaN;
	}

	private static String mean(RunResult result) {
		Result primary = result.getPrimaryResult();
		return format(primary.getScore()) + " ± " + format(primary.getScoreError());
	}

	private static String format(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String bytes(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String signed(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%+,.0f", value);
	}

	private static String ratio(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * How long and how often JMH measures.
	 */
	record Settings(int forks, int warmupIterations, long warmupMillis, int measurementIterations,
			long measurementMillis, int[] threads) {

		String describe() {
			return "JMH: " + this.forks + " forks × (" + this.warmupIterations + " warm-up + "
					+ this.measurementIterations + " measured iterations of " + this.measurementMillis
					+ " ms; warm-up iterations " + this.warmupMillis + " ms), `-prof gc`, fork heap 1 GB.";
		}

	}

}
