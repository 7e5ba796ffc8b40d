package io.github.replicarouting.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.benchmarks.e2e.EndToEndLoad;
import io.github.replicarouting.benchmarks.scale.ScaleModel;

/**
 * Entry point of {@code benchmarks.jar}: runs the routing overhead benchmarks (JMH), the end-to-end load on the
 * embedded cluster and the scale model, and writes the tables to {@code results/results.md} beside the jar.
 *
 * <pre class="code">
 * java -jar benchmarks/target/benchmarks.jar                  # everything (about 20 minutes on 2 cores)
 * java -jar benchmarks/target/benchmarks.jar overhead e2e      # some parts
 * java -jar benchmarks/target/benchmarks.jar --forks=1 --threads=1 overhead
 * </pre>
 *
 * Parts: {@code overhead} (read-only transaction through a Spring bean, 1/2/8 threads), {@code router} (plain JDBC,
 * no Spring transaction), {@code hotpath} (our per-transaction work piece by piece), {@code attribution} (the
 * read-only transaction with escape analysis off: exact allocation), {@code e2e}, {@code latency} (the e2e load with
 * {@code --latency-us} added each way in front of every node), {@code scale}.
 */
public final class Benchmarks {

	private static final List<String> PARTS = List.of("overhead", "router", "hotpath", "attribution", "e2e", "latency",
			"scale");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		List<String> parts = new java.util.ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				String[] pair = arg.substring(2).split("=", 2);
				options.put(pair[0], (pair.length > 1) ? pair[1] : "true");
			}
			else if (PARTS.contains(arg) || arg.equals("all")) {
				parts.add(arg);
			}
			else {
				throw new IllegalArgumentException("Unknown part '" + arg + "'; parts are " + PARTS + " or all");
			}
		}
		if (parts.isEmpty() || parts.contains("all")) {
			parts = PARTS;
		}
		Path directory = Path.of(options.getOrDefault("out", defaultDirectory().toString()));
		Report report = new Report(directory);
		report.line("\n## Run of " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + ": " + parts);
		report.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (`nproc`), "
				+ System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
				+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
				+ (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
						? (os.getTotalMemorySize() >> 30) + " GiB RAM" : ""));
		report.line("Measured code: " + measuredCommit());
		OverheadSuite.Settings settings = new OverheadSuite.Settings(intOption(options, "forks", 3),
				intOption(options, "warmup-iterations", 4), intOption(options, "warmup-ms", 500),
				intOption(options, "iterations", 6), intOption(options, "iteration-ms", 500),
				Arrays.stream(options.getOrDefault("threads", "1,2,8").split(",")).mapToInt(Integer::parseInt).toArray());
		OverheadSuite overhead = new OverheadSuite(settings, report);
		long start = System.nanoTime();
		for (String part : parts) {
			switch (part) {
				case "overhead" -> overhead.runOverhead();
				case "router" -> overhead.runRouterAlone();
				case "hotpath" -> overhead.runHotPath();
				case "attribution" -> overhead.runAttribution();
				case "e2e" -> new EndToEndLoad(report, intOption(options, "e2e-threads", 8),
						Duration.ofSeconds(intOption(options, "e2e-seconds", 20))).run();
				case "latency" -> new EndToEndLoad(report, intOption(options, "e2e-threads", 8),
						Duration.ofSeconds(intOption(options, "e2e-seconds", 20)))
					.runWithLatency(intOption(options, "latency-us", 500));
				case "scale" -> new ScaleModel(report, intOption(options, "startup-runs", 5)).run();
				default -> throw new IllegalStateException(part);
			}
		}
		report.line("\nTotal time: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s, load average at the "
				+ "end " + Report.loadAverage() + ". Tables appended to " + directory.resolve("results.md"));
	}

	/**
	 * The commit the working tree is at, and whether it has changes that are not committed (the jar is built from the
	 * working tree), as git says when the run starts.
	 */
	static String measuredCommit() {
		String commit = git("rev-parse", "--short=12", "HEAD");
		if (commit == null) {
			return "commit unknown (git not available here)";
		}
		String changes = git("status", "--porcelain", "--untracked-files=no");
		String jar = "";
		try {
			Path location = Path.of(Benchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			jar = ", jar built " + java.nio.file.Files.getLastModifiedTime(location);
		}
		catch (Exception ex) {
			// Unknown build time: say nothing about it.
		}
		return "commit `" + commit + "` (" + git("log", "-1", "--format=%cI %s", "HEAD") + ")"
				+ (((changes == null) || changes.isBlank()) ? ", working tree clean"
						: ", with uncommitted changes to " + changes.lines().map(String::strip).toList())
				+ jar;
	}

	private static String git(String... arguments) {
		List<String> command = new java.util.ArrayList<>();
		command.add("git");
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
				.strip();
			return (process.waitFor() == 0) ? output : null;
		}
		catch (java.io.IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static int intOption(Map<String, String> options, String name, int defaultValue) {
		return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)));
	}

	private static Path defaultDirectory() {
		try {
			Path jar = Path.of(Benchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			return jar.getParent().resolve("results");
		}
		catch (URISyntaxException | RuntimeException ex) {
			return Path.of("results");
		}
	}

}
