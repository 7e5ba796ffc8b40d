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

	/**
	 * The same load with every node behind a {@link LatencyRelay}: each round trip to a node costs twice
	 * {@code delayMicros} more, as on a network. Beside each mode, the statements the servers counted per operation.
	 * @param delayMicros the one-way delay added in front of each node
	 */
	public void runWithLatency(long delayMicros) {
		this.report.section("End to end on a network: the same load with " + delayMicros + " µs added each way per "
				+ "round trip");
		long start = System.nanoTime();
		try (ReplicationCluster cluster = ReplicationCluster.builder().replicas(2).start()) {
			Map<String, LatencyRelay> relays = new LinkedHashMap<>();
			try {
				for (ClusterNode node : cluster.nodes()) {
					relays.put(node.name(), new LatencyRelay(node.port(), delayMicros));
				}
				this.relays = relays;
				this.report.line("Cluster started in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
						+ " ms; a TCP relay in front of each node delivers every chunk " + delayMicros + " µs after "
						+ "it arrived, each way (so a round trip costs " + (2 * delayMicros) + " µs more). "
						+ this.threads + " client threads, " + WARM_UP.toSeconds() + " s warm-up then "
						+ this.duration.toSeconds() + " s measured per mode, pools of " + POOL_SIZE + " per node, "
						+ "MariaDB Connector/J. Statements: the servers' `Questions` counters (every node, the "
						+ "monitor's probes included) over the measured window, per operation.");
				createSchema(cluster);
				runMode(cluster, Mode.ROUTING);
				List<Mode> modes = List.of(Mode.SINGLE_POOL, Mode.ROUTING, Mode.STICKY, Mode.CAUSAL, Mode.LAZY_PROXY);
				List<String[]> rows = new ArrayList<>();
				rows.add(new String[] { "Mode", "ops/s", "× single pool", "read p50 µs", "read p99 µs",
						"write p50 µs", "write p99 µs", "failed", "statements per op (server)",
						"statements per node per op", "reads per node" });
				double single = 0;
				for (Mode mode : modes) {
					Map<String, Long> before = questions(cluster);
					Outcome outcome = runMode(cluster, mode);
					Map<String, Long> after = questions(cluster);
					long ops = outcome.reads().size() + outcome.writes().size();
					// runMode's warm-up ran inside the window too: count the warm-up's operations as well.
					long allOps = ops + outcome.warmUpOps();
					StringBuilder perNode = new StringBuilder();
					long total = 0;
					for (String node : before.keySet()) {
						long delta = after.get(node) - before.get(node);
						total += delta;
						perNode.append((perNode.length() > 0) ? ", " : "")
							.append(node)
							.append(' ')
							.append(String.format(Locale.ROOT, "%.2f", (double) delta / allOps));
					}
					if (mode == Mode.SINGLE_POOL) {
						single = outcome.opsPerSecond();
					}
					String[] full = outcome.row(mode, 1);
					rows.add(new String[] { mode.label, full[2],
							String.format(Locale.ROOT, "%.2f", outcome.opsPerSecond() / single), full[5], full[6],
							full[7], full[8], full[9], String.format(Locale.ROOT, "%.2f", (double) total / allOps),
							perNode.toString(), full[10] });
					checkReplicas(cluster);
				}
				this.report.table(null, rows);
				this.report.line("\nStatements per op: `SHOW GLOBAL STATUS` `Questions` on every node (standby "
						+ "included, which serves nothing), delta over the mode's warm-up and measured windows, "
						+ "divided by the operations in both; it includes the monitor's one probe per node per "
						+ "second and the transaction's own statements (autocommit on/off, commit).");
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				this.relays = Map.of();
				relays.values().forEach(LatencyRelay::close);
			}
		}
	}

	private Map<String, LatencyRelay> relays = Map.of();

	private String url(ClusterNode node) {
		LatencyRelay relay = this.relays.get(node.name());
		String url = node.jdbcUrl("mariadb");
		return (relay != null) ? url.replace(":" + node.port() + "/", ":" + relay.port() + "/") : url;
	}

	private static Map<String, Long> questions(ReplicationCluster cluster) {
		Map<String, Long> questions = new TreeMap<>();
		for (ClusterNode node : cluster.nodes()) {
			questions.put(node.name(), cluster.queryLong(node.name(), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'"));
		}
		return questions;
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
		Class<?>[] sources = (mode == Mode.LAZY_PROXY) ? new Class<?>[] { LoadApplication.class, LazyProxy.class }
				: new Class<?>[] { LoadApplication.class };
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties(cluster, mode))
			.run()) {
			AccountService service = context.getBean(AccountService.class);
			Outcome warmUp = load(cluster, service, WARM_UP);
			if (warmUp.failed() > warmUp.reads().size() / 100) {
				throw new IllegalStateException(mode + ": " + warmUp.failed() + " calls failed during warm-up");
			}
			Outcome outcome = load(cluster, service, this.duration);
			return outcome.withWarmUpOps(warmUp.reads().size() + warmUp.writes().size());
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
		if (mode == Mode.LAZY_PROXY) {
			properties.put("routing.datasource.enabled", "false");
			properties.put("lazy-proxy.primary", url(cluster.primary()));
			properties.put("lazy-proxy.replica", url(cluster.replicas().get(0)));
			properties.put("lazy-proxy.username", cluster.username());
			properties.put("lazy-proxy.password", cluster.password());
			return properties;
		}
		if (mode == Mode.SINGLE_POOL) {
			properties.put("routing.datasource.enabled", "false");
			properties.put("spring.datasource.url", url(cluster.primary()));
			properties.put("spring.datasource.username", cluster.username());
			properties.put("spring.datasource.password", cluster.password());
			properties.put("spring.datasource.hikari.maximum-pool-size", POOL_SIZE);
			return properties;
		}
		properties.put("routing.datasource.primary.url", url(cluster.primary()));
		properties.put("routing.datasource.primary.username", cluster.username());
		properties.put("routing.datasource.primary.password", cluster.password());
		for (ClusterNode replica : cluster.replicas()) {
			properties.put("routing.datasource.replicas." + replica.name() + ".url", url(replica));
		}
		properties.put("routing.datasource.hikari.maximum-pool-size", POOL_SIZE);
		if (mode == Mode.CAUSAL) {
			// Per thread: after a client thread's write commits, its reads go to a replica that has applied it.
			properties.put("routing.datasource.read-your-writes", "causal");
		}
		if (mode == Mode.STICKY) {
			properties.put("routing.datasource.read-your-writes", "sticky");
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

	/**
	 * Spring's lazy proxy as its documentation sets it up: the primary's pool as target, one replica's pool as
	 * read-only target (it has no balancing), Hikari pools of {@link #POOL_SIZE}.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class LazyProxy {

		@org.springframework.context.annotation.Bean(destroyMethod = "close")
		com.zaxxer.hikari.HikariDataSource lazyPrimaryPool(org.springframework.core.env.Environment environment) {
			return pool(environment, "lazy-proxy.primary", false);
		}

		@org.springframework.context.annotation.Bean(destroyMethod = "close")
		com.zaxxer.hikari.HikariDataSource lazyReplicaPool(org.springframework.core.env.Environment environment) {
			return pool(environment, "lazy-proxy.replica", true);
		}

		@org.springframework.context.annotation.Bean
		@org.springframework.context.annotation.Primary
		org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy dataSource(
				com.zaxxer.hikari.HikariDataSource lazyPrimaryPool,
				com.zaxxer.hikari.HikariDataSource lazyReplicaPool) {
			org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy proxy =
					new org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy(lazyPrimaryPool);
			proxy.setReadOnlyDataSource(lazyReplicaPool);
			return proxy;
		}

		private static com.zaxxer.hikari.HikariDataSource pool(org.springframework.core.env.Environment environment,
				String urlProperty, boolean readOnly) {
			com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
			pool.setJdbcUrl(environment.getRequiredProperty(urlProperty));
			pool.setUsername(environment.getRequiredProperty("lazy-proxy.username"));
			pool.setPassword(environment.getRequiredProperty("lazy-proxy.password"));
			pool.setMaximumPoolSize(POOL_SIZE);
			pool.setReadOnly(readOnly);
			return pool;
		}

	}

	enum Mode {

		SINGLE_POOL("(a) one primary pool"),

		ROUTING("(b) routing, 2 replicas, round-robin"),

		WEIGHTED("(c) routing, 2 replicas, weighted 3:1"),

		CAUSAL("(d) as (b), read-your-writes: causal"),

		STICKY("(e) as (b), read-your-writes: sticky"),

		LAZY_PROXY("(f) Spring LazyConnectionDataSourceProxy, primary + replica-1");

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

	private record Outcome(double seconds, Latencies reads, Latencies writes, int failed, Map<String, Integer> perNode,
			long warmUpOps) {

		Outcome(double seconds, Latencies reads, Latencies writes, int failed, Map<String, Integer> perNode) {
			this(seconds, reads, writes, failed, perNode, 0);
		}

		Outcome withWarmUpOps(long ops) {
			return new Outcome(this.seconds, this.reads, this.writes, this.failed, this.perNode, ops);
		}

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
