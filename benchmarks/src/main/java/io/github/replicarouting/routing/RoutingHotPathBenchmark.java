package io.github.replicarouting.routing;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.benchmarks.overhead.H2Nodes;
import io.github.replicarouting.benchmarks.overhead.ReadService;
import io.github.replicarouting.benchmarks.overhead.RouterApplications;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import org.aopalliance.intercept.MethodInvocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;

/**
 * The pieces of our per-transaction hot path, one at a time, so that {@code -prof gc} attributes every byte: the
 * routing scope, the annotation interceptor, the lazy connection handle, and a physical connection borrowed through
 * the router versus straight from the pool. In this package to reach the interceptor's method lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingHotPathBenchmark {

	private HikariDataSource primaryPool;

	private HikariDataSource replicaPool1;

	private HikariDataSource replicaPool2;

	private RoutingDataSource routing;

	private LazyConnectionDataSourceProxy springLazy;

	private RoutingAnnotationInterceptor interceptor;

	private Invocation readOnlyTransactionCall;

	private Invocation readOnlyAnnotationCall;

	@Setup(Level.Trial)
	public void start() throws Exception {
		H2Nodes.create(H2Nodes.NODES);
		this.primaryPool = pool("primary");
		this.replicaPool1 = pool("replica-1");
		this.replicaPool2 = pool("replica-2");
		this.routing = new RoutingDataSource(new DataSourceNode("primary", NodeRole.PRIMARY, this.primaryPool, 1),
				List.of(new DataSourceNode("replica-1", this.replicaPool1, 1),
						new DataSourceNode("replica-2", this.replicaPool2, 1)),
				new RoundRobinLoadBalancer(), List.of());
		this.routing.initialize();
		this.springLazy = new LazyConnectionDataSourceProxy(this.primaryPool);
		this.springLazy.setReadOnlyDataSource(this.replicaPool1);
		this.interceptor = new RoutingAnnotationInterceptor(new AnnotationTransactionAttributeSource(false), false,
				() -> null);
		this.readOnlyTransactionCall = new Invocation(new RouterApplications.ReadOnlyTransactionService(null));
		this.readOnlyAnnotationCall = new Invocation(new RouterApplications.ReadOnlyAnnotatedService(null));
	}

	private static HikariDataSource pool(String node) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName(node);
		pool.setJdbcUrl(H2Nodes.url(node));
		pool.setUsername("sa");
		pool.setPassword("");
		pool.setMaximumPoolSize(RouterApplications.POOL_SIZE);
		pool.setMinimumIdle(RouterApplications.POOL_SIZE);
		return pool;
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.primaryPool.close();
		this.replicaPool1.close();
		this.replicaPool2.close();
	}

	/** {@code RoutingContext.enter} + {@code exit} on an empty stack: what every outermost routed method pays. */
	@Benchmark
	public Route scopeOutermost() {
		int depth = RoutingContext.enter(Route.REPLICA, null, "bench");
		try {
			return RoutingContext.currentRoute();
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	/** The same one level down (a scope already open). */
	@Benchmark
	public Route scopeNested(OuterScope outer) {
		int depth = RoutingContext.enter(Route.REPLICA, null, "bench");
		try {
			return RoutingContext.currentRoute();
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	/** The public {@code RoutingContext.push} + close ({@code Routing.onReplica}), which allocates its scope. */
	@Benchmark
	public Route scopePushAndClose() {
		try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "bench")) {
			return RoutingContext.currentRoute();
		}
	}

	/** The interceptor around a {@code @Transactional(readOnly = true)} method (method lookup and scope). */
	@Benchmark
	public Object interceptorReadOnlyTransaction() throws Throwable {
		return this.interceptor.invoke(this.readOnlyTransactionCall);
	}

	/** The interceptor around a {@code @ReadOnly} method. */
	@Benchmark
	public Object interceptorReadOnlyAnnotation() throws Throwable {
		return this.interceptor.invoke(this.readOnlyAnnotationCall);
	}

	/** What the interceptor does before its scope: target class, then the method lookup. */
	@Benchmark
	public Object interceptorTargetClassAndLookup() {
		Class<?> targetClass = org.springframework.aop.support.AopUtils.getTargetClass(this.readOnlyAnnotationCall.getThis());
		return this.interceptor.routingFor(this.readOnlyAnnotationCall.getMethod(), targetClass);
	}

	/** The interceptor's method lookup alone ({@code ClassValue} + map). */
	@Benchmark
	public Object interceptorMethodLookup() {
		return this.interceptor.routingFor(this.readOnlyTransactionCall.method, this.readOnlyTransactionCall.targetClass);
	}

	/**
	 * {@code getConnection()} + {@code close()} without a scope: the lazy handle still handed out when nothing tells
	 * the node (a {@code TransactionTemplate}, code without a transaction).
	 */
	@Benchmark
	public boolean lazyHandleUnrouted() throws SQLException {
		Connection connection = this.routing.getConnection();
		connection.close();
		return connection.isClosed();
	}

	/** Spring's own lazy handle, for comparison. */
	@Benchmark
	public boolean springLazyHandle() throws SQLException {
		Connection connection = this.springLazy.getConnection();
		connection.close();
		return connection.isClosed();
	}

	/**
	 * A replica connection borrowed through the router in a replica scope (scope, load balancer, pool) and returned.
	 * The connection is returned to JMH so that it escapes, as it does in real code.
	 */
	@Benchmark
	public Connection physicalThroughRouter() throws SQLException {
		int depth = RoutingContext.enter(Route.REPLICA, null, "bench");
		try {
			Connection connection = this.routing.getConnection();
			connection.close();
			return connection;
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	/** The same physical borrow and return straight from a pool. */
	@Benchmark
	public Connection physicalFromPool() throws SQLException {
		Connection connection = this.replicaPool1.getConnection();
		connection.close();
		return connection;
	}

	/**
	 * What {@code DataSourceTransactionManager} and the bean do with the connection of a read-write transaction
	 * ({@code @ReadOnly @Transactional}), straight on a pool.
	 */
	@Benchmark
	public Connection transactionCallsOnPool() throws SQLException {
		return transactionCalls(this.replicaPool1, false);
	}

	/** The same calls through the router in a replica scope (the {@code @ReadOnly} path minus the interceptor). */
	@Benchmark
	public Connection transactionCallsThroughRouter() throws SQLException {
		int depth = RoutingContext.enter(Route.REPLICA, null, "bench");
		try {
			return transactionCalls(this.routing, false);
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	/** The calls of a {@code @Transactional(readOnly = true)} transaction straight on a pool. */
	@Benchmark
	public Connection readOnlyTransactionCallsOnPool() throws SQLException {
		return transactionCalls(this.replicaPool1, true);
	}

	/**
	 * The same through the router in the scope the interceptor opens for a read-only transactional method (the
	 * readOnly-transaction path minus the interceptor).
	 */
	@Benchmark
	public Connection readOnlyTransactionCallsThroughRouter() throws SQLException {
		int depth = RoutingContext.enter(null, Route.REPLICA, "bench");
		try {
			return transactionCalls(this.routing, true);
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	/** The same without a scope (a {@code TransactionTemplate}): through the lazy handle. */
	@Benchmark
	public Connection programmaticReadOnlyTransactionCallsThroughRouter() throws SQLException {
		return transactionCalls(this.routing, true);
	}

	/**
	 * The JDBC calls {@code DataSourceTransactionManager} (begin, commit, cleanup) and {@code DataSourceUtils} make,
	 * with the benchmarked statement between them.
	 */
	private static Connection transactionCalls(javax.sql.DataSource dataSource, boolean readOnly)
			throws SQLException {
		Connection connection = dataSource.getConnection();
		if (readOnly) {
			connection.setReadOnly(true);
		}
		if (connection.getAutoCommit()) {
			connection.setAutoCommit(false);
		}
		H2Nodes.query(connection);
		connection.commit();
		connection.setAutoCommit(true);
		if (readOnly) {
			connection.setReadOnly(false);
		}
		connection.close();
		return connection;
	}

	/** A scope held open around the nested benchmark, on the benchmark thread. */
	@State(Scope.Thread)
	public static class OuterScope {

		private RoutingContext.Scope scope;

		@Setup(Level.Iteration)
		public void open() {
			this.scope = RoutingContext.push(Route.PRIMARY, "outer");
		}

		@TearDown(Level.Iteration)
		public void close() {
			this.scope.close();
		}

	}

	/** A reusable method call on a bean, for driving the interceptor without a proxy. */
	static final class Invocation implements MethodInvocation {

		final Object target;

		final Class<?> targetClass;

		final Method method;

		Invocation(ReadService target) throws NoSuchMethodException {
			this.target = target;
			this.targetClass = target.getClass();
			this.method = ReadService.class.getMethod("read");
		}

		@Override
		public Method getMethod() {
			return this.method;
		}

		@Override
		public Object[] getArguments() {
			return new Object[0];
		}

		@Override
		public Object proceed() {
			return this.target;
		}

		@Override
		public Object getThis() {
			return this.target;
		}

		@Override
		public AccessibleObject getStaticPart() {
			return this.method;
		}

	}

}
