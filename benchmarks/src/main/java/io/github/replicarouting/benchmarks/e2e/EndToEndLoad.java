package io.github.replicarouting.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.replicarouting.benchmarks.Report;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A 90 % read / 10 % write Spring Data JPA workload on the embedded cluster (primary + 2 replicas, MariaDB
 * Connector/J), N client threads for a fixed time: (a) everything on one primary pool (routing disabled, Boot's
 * Hikari), (b) routing to the 2 replicas (round-robin), (c) routing with weights 3:1, (d) as (b) with causal
 * read-your-writes (on commits that have the setting; ignored before). Each read asks the server
 * which node it is ({@code @@server_id} in the same statement).
 */
public final class EndToEndLoad {

	static final int ACCOUNTS = 10_000;

	static final int POOL_SIZE = 8;

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private final Report report;

	private final int threads;

	private final Duration duration;

	public EndToEndLoad(Report report, int threads, Duration duration) {
		this.report = report;
		this.threads = threads;
		this.duration = duration;
	}

	public void run() {
		this.report.section("End to end: 90 % reads / 10 % writes, Spring Data JPA, embedded MariaDB cluster");
		long start = System.nanoTime();
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(2).start()) {
			this.report.line("Cluster (primary + 2 replicas, MariaDB 11.4, same 2 cores as the clients) started in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms. " + this.threads
					+ " client threads, " + WARM_UP.toSeconds() + " s warm-up then " + this.duration.toSeconds()
					+ " s measured per mode, pools of " + POOL_SIZE + " per node, " + ACCOUNTS + " accounts, "
					+ "reads: `@Transactional(readOnly = true)` service → repository native query by id "
					+ "(with `@@server_id`), writes: `@Transactional` `findById` + balance update. One unmeasured "
					+ "warm-up run, then two rounds in opposite order.");
			createSchema(cluster);
			// Unmeasured: lets the JIT compile JPA, the driver and the router before the first measured mode.
			runMode(cluster, Mode.ROUTING);
			List<Mode> modes = List.of(Mode.SINGLE_POOL, Mode.ROUTING, Mode.WEIGHTED, Mode.CAUSAL);
			List<String[]> rows = new ArrayList<>();
			rows.add(new String[] { "Mode", "round", "ops/s", "× single pool", "reads/s", "read p50 µs", "read p99 µs",
					"write p50 µs", "write p99 µs", "failed", "reads per node" });
			Map<Mode, List<Double>> throughput = new LinkedHashMap<>();
			List<Mode> order = new ArrayList<>(modes);
			List<Mode> reversed = new ArrayList<>(modes);
			java.util.Collections.reverse(reversed);
			order.addAll(reversed);
			for (int i = 0; i < order.size(); i++) {
				Mode mode = order.get(i);
				int round = (i < modes.size()) ? 1 : 2;
				Outcome outcome = runMode(cluster, mode);
				throughput.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(outcome.opsPerSecond());
				rows.add(outcome.row(mode, round));
				checkReplicas(cluster);
			}
			double single = throughput.get(Mode.SINGLE_POOL).stream().mapToDouble(Double::doubleValue).average().orElse(1);
			for (int i = 1; i < rows.size(); i++) {
				rows.get(i)[3] = String.format(Locale.ROOT, "%.2f", Double.parseDouble(rows.get(i)[2].replace(",", "")) / single);
			}
			this.report.table(null, rows);
			this.report.line("\n× single pool: against the mean of the two single-pool rounds. (d): "
					+ "`routing.datasource.read-your-writes: causal`, scope = the client thread: after its own write, a "
					+ "thread's reads go to a replica known (or waited on) to have applied it, else to the primary.");
		}
	}

	private void createSchema(ReplicationCluster cluster) {
		String table = cluster.database() + ".account";
		cluster.execute(ReplicationCluster.PRIMARY, "USE " + cluster.database(), "DROP TABLE IF EXISTS " + table,
				"CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, owner VARCHAR(64) NOT NULL, balance BIGINT NOT NULL)",
				"INSERT INTO " + table + " SELECT seq, CONCAT('owner-', seq), 1000 FROM seq_1_to_" + ACCOUNTS);
		cluster.awaitReplication(Duration.ofSeconds(60));
	}

	private void checkReplicas(ReplicationCluster cluster) {
		cluster.awaitReplication(Duration.ofSeconds(60));
		Map<String, Long> sums = new TreeMap<>();
		for (ClusterNode node : cluster.nodes()) {
			sums.put(node.name(), cluster.queryLong(node.name(),
					"SELECT SUM(balance) FROM " + cluster.database() + ".account"));
		}
		if (sums.values().stream().distinct().count() != 1) {
			throw new IllegalStateException("Nodes disagree after the run: " + sums);
		}
	}

	private Outcome runMode(ReplicationCluster cluster, Mode mode) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LoadApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties(cluster, mode))
			.run()) {
			AccountService service = context.getBean(AccountService.class);
			Outcome warmUp = load(cluster, service, WARM_UP);
			if (warmUp.failed() > warmUp.reads().size() / 100) {
				throw new IllegalStateException(mode + ": " + warmUp.failed() + " calls failed during warm-up");
			}
			return load(cluster, service, this.duration);
		}
	}

	private Map<String, Object> properties(ReplicationCluster cluster, Mode mode) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.ch.vorburger", "WARN");
		properties.put("spring.jmx.enabled", "false");
		properties.put("spring.jpa.open-in-view", "false");
		properties.put("spring.jpa.hibernate.ddl-auto", "none");
		properties.put("spring.sql.init.mode", "never");
		if (mode == Mode.SINGLE_POOL) {
			properties.put("routing.datasource.enabled", "false");
			properties.put("spring.datasource.url", cluster.primary().jdbcUrl("mariadb"));
			properties.put("spring.datasource.username", cluster.username());
			properties.put("spring.datasource.password", cluster.password());
			properties.put("spring.datasource.hikari.maximum-pool-size", POOL_SIZE);
			return properties;
		}
		properties.put("routing.datasource.primary.url", cluster.primary().jdbcUrl("mariadb"));
		properties.put("routing.datasource.primary.username", cluster.username());
		properties.put("routing.datasource.primary.password", cluster.password());
		for (ClusterNode replica : cluster.replicas()) {
			properties.put("routing.datasource.replicas." + replica.name() + ".url", replica.jdbcUrl("mariadb"));
		}
		properties.put("routing.datasource.hikari.maximum-pool-size", POOL_SIZE);
		if (mode == Mode.CAUSAL) {
			// Per thread: after a client thread's write commits, its reads go to a replica that has applied it.
			properties.put("routing.datasource.read-your-writes", "causal");
		}
		if (mode == Mode.WEIGHTED) {
			properties.put("routing.datasource.load-balancing", "weighted");
			properties.put("routing.datasource.replicas.replica-1.weight", 3);
			properties.put("routing.datasource.replicas.replica-2.weight", 1);
		}
		return properties;
	}

	private Outcome load(ReplicationCluster cluster, AccountService service, Duration duration) {
		AtomicBoolean running = new AtomicBoolean(true);
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < this.threads; i++) {
			Worker worker = new Worker(service, running);
			workers.add(worker);
		}
		long start = System.nanoTime();
		workers.forEach(Thread::start);
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		running.set(false);
		for (Worker worker : workers) {
			try {
				worker.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Latencies reads = new Latencies();
		Latencies writes = new Latencies();
		Map<String, Integer> perNode = new TreeMap<>();
		int failed = 0;
		Map<Long, String> names = new LinkedHashMap<>();
		for (Worker worker : workers) {
			reads.addAll(worker.reads);
			writes.addAll(worker.writes);
			failed += worker.failed;
			worker.servedBy.forEach((serverId, count) -> perNode.merge(
					names.computeIfAbsent(serverId, cluster::nodeName), count, Integer::sum));
		}
		return new Outcome(seconds, reads, writes, failed, perNode);
	}

	enum Mode {

		SINGLE_POOL("(a) one primary pool"),

		ROUTING("(b) routing, 2 replicas, round-robin"),

		WEIGHTED("(c) routing, 2 replicas, weighted 3:1"),

		CAUSAL("(d) as (b), read-your-writes: causal");

		private final String label;

		Mode(String label) {
			this.label = label;
		}

	}

	private static final class Worker extends Thread {

		private final AccountService service;

		private final AtomicBoolean running;

		final Latencies reads = new Latencies();

		final Latencies writes = new Latencies();

		final Map<Long, Integer> servedBy = new TreeMap<>();

		int failed;

		Worker(AccountService service, AtomicBoolean running) {
			super("e2e-client");
			setDaemon(true);
			this.service = service;
			this.running = running;
		}

		@Override
		public void run() {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (this.running.get()) {
				long id = 1 + random.nextInt(ACCOUNTS);
				boolean read = random.nextInt(10) != 0;
				long start = System.nanoTime();
				try {
					if (read) {
						long serverId = this.service.read(id);
						this.reads.add(System.nanoTime() - start);
						this.servedBy.merge(serverId, 1, Integer::sum);
					}
					else {
						this.service.deposit(id, 1);
						this.writes.add(System.nanoTime() - start);
					}
				}
				catch (RuntimeException ex) {
					this.failed++;
				}
			}
		}

	}

	private static final class Latencies {

		private long[] values = new long[1 << 14];

		private int size;

		void add(long nanos) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = nanos;
		}

		void addAll(Latencies other) {
			for (int i = 0; i < other.size; i++) {
				add(other.values[i]);
			}
		}

		int size() {
			return this.size;
		}

		String percentileMicros(double percentile) {
			if (this.size == 0) {
				return "n/a";
			}
			long[] sorted = Arrays.copyOf(this.values, this.size);
			Arrays.sort(sorted);
			int index = (int) Math.min(this.size - 1, Math.ceil(percentile / 100 * this.size) - 1);
			return String.format(Locale.ROOT, "%,d", sorted[Math.max(0, index)] / 1000);
		}

	}

	private record Outcome(double seconds, Latencies reads, Latencies writes, int failed, Map<String, Integer> perNode) {

		double opsPerSecond() {
			return (this.reads.size() + this.writes.size()) / this.seconds;
		}

		String[] row(Mode mode, int round) {
			int total = this.perNode.values().stream().mapToInt(Integer::intValue).sum();
			StringBuilder nodes = new StringBuilder();
			this.perNode.forEach((node, count) -> nodes.append((nodes.length() > 0) ? ", " : "")
				.append(node)
				.append(' ')
				.append(String.format(Locale.ROOT, "%,d (%.1f %%)", count, 100.0 * count / total)));
			return new String[] { mode.label, Integer.toString(round), String.format(Locale.ROOT, "%,.0f", opsPerSecond()),
					"", String.format(Locale.ROOT, "%,.0f", this.reads.size() / this.seconds),
					this.reads.percentileMicros(50), this.reads.percentileMicros(99), this.writes.percentileMicros(50),
					this.writes.percentileMicros(99), Integer.toString(this.failed), nodes.toString() };
		}

	}

}
