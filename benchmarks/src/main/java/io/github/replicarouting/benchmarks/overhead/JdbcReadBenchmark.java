package io.github.replicarouting.benchmarks.overhead;

import java.sql.SQLException;
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
 * The router alone, without Spring's transaction machinery: connection, one primary-key {@code SELECT}, close, the
 * route requested as each alternative expects (our scope as {@code @ReadOnly} opens it, or
 * {@code Connection.setReadOnly(true)}; {@code DynamicDataSourceContextHolder.push("slave")}; nothing for
 * ShardingSphere, which routes the {@code SELECT} itself).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdbcReadBenchmark {

	@Param({ "raw-hikari", "routing-annotation", "routing-read-only-tx", "lazy-proxy", "shardingsphere",
			"dynamic-datasource", "reference-threadlocal" })
	public String router;

	private RouterApplications.Started application;

	private JdbcRead read;

	@Setup(Level.Trial)
	public void start() {
		this.application = RouterApplications.start(Router.of(this.router));
		this.read = this.application.jdbcRead();
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.application.close();
	}

	@Benchmark
	public String read() throws SQLException {
		return this.read.read();
	}

}
