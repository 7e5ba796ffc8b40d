package io.github.replicarouting.routing;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import io.github.replicarouting.topology.Topology;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Applies the {@link RoutingAnnotationInterceptor} to methods that carry {@code @ReadOnly} or {@code @UsePrimary} (on
 * the method or its class) and to transactional methods. Its order must put it outside (before) the
 * transaction interceptor, so the route is known when the transaction takes its connection.
 *
 * @since 0.1.0
 */
public class RoutingAnnotationAdvisor extends AbstractPointcutAdvisor {

	private final RoutingAnnotationInterceptor interceptor;

	private final Pointcut pointcut;

	/**
	 * Create an advisor.
	 * @param transactionAttributes tells which methods run read-only transactions
	 * @param order the advisor order; lower runs first, and it must be lower than the transaction advisor's
	 * @param retryFailedReads whether an outermost read-only method whose connection broke is run again (at most once
	 * per replica)
	 * @param topology the topology to tell when a replica connection breaks, if there is one
	 */
	public RoutingAnnotationAdvisor(TransactionAttributeSource transactionAttributes, int order,
			boolean retryFailedReads, Supplier<@Nullable Topology> topology) {
		this.interceptor = new RoutingAnnotationInterceptor(transactionAttributes, retryFailedReads, topology);
		this.pointcut = new StaticMethodMatcherPointcut() {

			@Override
			public boolean matches(Method method, @Nullable Class<?> targetClass) {
				return RoutingAnnotationAdvisor.this.interceptor.routingFor(method, targetClass).applies();
			}

		};
		setOrder(order);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
