package io.github.replicarouting.benchmarks.overhead;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing overhead as an application pays it: a Spring bean's read-only transaction (connection, one primary-key
 * {@code SELECT}, commit, release) through each alternative, with the same Spring setup and pools everywhere.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadOnlyTransactionBenchmark {

	@Param({ "raw-hikari", "raw-hikari-proxied", "routing-annotation", "routing-read-only-tx", "lazy-proxy", "shardingsphere",
			"dynamic-datasource", "reference-threadlocal" })
	public String router;

	private RouterApplications.Started application;

	private ReadService service;

	@Setup(Level.Trial)
	public void start() {
		this.application = RouterApplications.start(Router.of(this.router));
		this.service = this.application.service();
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.application.close();
	}

	@Benchmark
	public String readOnlyTransaction() {
		return this.service.read();
	}

}
