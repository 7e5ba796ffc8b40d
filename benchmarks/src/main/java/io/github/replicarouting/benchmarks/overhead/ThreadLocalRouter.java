package io.github.replicarouting.benchmarks.overhead;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.replicarouting.ReadOnly;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * Reference point, not a product: the smallest router that honours {@code @ReadOnly} — an interceptor that sets a
 * thread-local flag (restored in {@code finally}) and an {@link AbstractRoutingDataSource} that reads it and picks a
 * replica by index. What the issue means by "a ThreadLocal read and an index": it has no lazy connection, so it cannot
 * route {@code @Transactional(readOnly = true)} with {@code DataSourceTransactionManager}, no failover, no monitor.
 */
public final class ThreadLocalRouter {

	private static final ThreadLocal<Boolean> readOnly = new ThreadLocal<>();

	private ThreadLocalRouter() {
	}

	/**
	 * Run a read with the flag set, as the interceptor does around a {@code @ReadOnly} method.
	 * @param read the read
	 * @return what it returned
	 * @throws SQLException on failure
	 */
	public static String onReplica(JdbcRead read) throws SQLException {
		Boolean previous = readOnly.get();
		readOnly.set(Boolean.TRUE);
		try {
			return read.read();
		}
		finally {
			if (previous == null) {
				readOnly.remove();
			}
		}
	}

	/**
	 * The routing data source: the primary, or a replica in turn while the flag is set.
	 */
	public static final class RoutingDataSource extends AbstractRoutingDataSource {

		private final AtomicInteger counter = new AtomicInteger();

		private final int replicas;

		public RoutingDataSource(DataSource primary, DataSource... replicas) {
			Map<Object, Object> targets = new java.util.HashMap<>();
			for (int i = 0; i < replicas.length; i++) {
				targets.put(i, replicas[i]);
			}
			setTargetDataSources(targets);
			setDefaultTargetDataSource(primary);
			setLenientFallback(false);
			this.replicas = replicas.length;
			afterPropertiesSet();
		}

		@Override
		protected @Nullable Object determineCurrentLookupKey() {
			return (readOnly.get() != null) ? Math.floorMod(this.counter.getAndIncrement(), this.replicas) : null;
		}

	}

	/**
	 * Sets the flag around {@code @ReadOnly} methods, before the transaction interceptor.
	 */
	public static final class Advisor extends AbstractPointcutAdvisor implements MethodInterceptor {

		private final Pointcut pointcut = new StaticMethodMatcherPointcut() {

			@Override
			public boolean matches(Method method, @Nullable Class<?> targetClass) {
				Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
				return AnnotatedElementUtils.hasAnnotation(specific, ReadOnly.class);
			}

		};

		public Advisor() {
			setOrder(Ordered.LOWEST_PRECEDENCE - 100);
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Boolean previous = readOnly.get();
			readOnly.set(Boolean.TRUE);
			try {
				return invocation.proceed();
			}
			finally {
				if (previous == null) {
					readOnly.remove();
				}
			}
		}

		@Override
		public Pointcut getPointcut() {
			return this.pointcut;
		}

		@Override
		public Advice getAdvice() {
			return this;
		}

	}

}
