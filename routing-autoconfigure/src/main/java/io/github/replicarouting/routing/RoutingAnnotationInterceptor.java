package io.github.replicarouting.routing;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Opens a {@link RoutingContext} scope around methods annotated with {@link ReadOnly} or {@link UsePrimary}, before the
 * transaction interceptor takes a connection, and reports writes rejected in read-only methods (including
 * {@code @Transactional(readOnly = true)} ones) as {@link io.github.replicarouting.WriteInReadOnlyScopeException}.
 *
 * @since 0.1.0
 */
public class RoutingAnnotationInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(RoutingAnnotationInterceptor.class);

	private final TransactionAttributeSource transactionAttributes;

	private final boolean retryFailedReads;

	private final Supplier<@Nullable Topology> topology;

	private final Map<MethodClassKey, MethodRouting> cache = new ConcurrentHashMap<>();

	/**
	 * Create an interceptor.
	 * @param transactionAttributes tells which methods run read-only transactions
	 * @param retryFailedReads whether an outermost read-only method whose connection broke is run once more
	 * @param topology the topology to tell when a replica connection breaks, if there is one
	 */
	public RoutingAnnotationInterceptor(TransactionAttributeSource transactionAttributes, boolean retryFailedReads,
			Supplier<@Nullable Topology> topology) {
		this.transactionAttributes = transactionAttributes;
		this.retryFailedReads = retryFailedReads;
		this.topology = topology;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		MethodRouting routing = routingFor(invocation.getMethod(), targetClass);
		boolean mayRetry = this.retryFailedReads && routing.readOnly() && RoutingContext.depth() == 0
				&& !TransactionSynchronizationManager.isActualTransactionActive()
				&& invocation instanceof ProxyMethodInvocation;
		MethodInvocation retry = mayRetry ? ((ProxyMethodInvocation) invocation).invocableClone() : null;
		try {
			return proceedInScope(invocation, routing);
		}
		catch (RuntimeException ex) {
			if (retry == null || !ConnectionFailures.isNodeFailure(ex)) {
				throw ex;
			}
			// Read-only, outermost, no transaction: safe to run again; the broken replica is out of rotation now.
			logger.warn("Connection broke during read-only " + routing.description() + ", running it once more: "
					+ ex.getMessage());
			return proceedInScope(retry, routing);
		}
	}

	private @Nullable Object proceedInScope(MethodInvocation invocation, MethodRouting routing) throws Throwable {
		if (!routing.applies()) {
			return invocation.proceed();
		}
		try (RoutingContext.Scope scope = RoutingContext.push(routing.route(), routing.description())) {
			try {
				return invocation.proceed();
			}
			catch (RuntimeException ex) {
				if (!routing.readOnly()) {
					throw ex;
				}
				Topology topology = this.topology.get();
				if (topology != null && ConnectionFailures.isNodeFailure(ex)
						&& RoutingContext.lastReplica() instanceof DataSourceNode replica) {
					// Do not wait for the monitor: the next reads must not be handed this replica's other connections.
					topology.reportConnectionFailure(replica, ex);
				}
				throw ReadOnlyViolations.translate(ex, routing.description());
			}
		}
	}

	/**
	 * How a method is routed: by its annotations, else (for reporting only) by a read-only transaction.
	 * @param method the invoked method
	 * @param targetClass the target class, if known
	 * @return the routing of the method, never {@code null}
	 */
	MethodRouting routingFor(Method method, @Nullable Class<?> targetClass) {
		return this.cache.computeIfAbsent(new MethodClassKey(method, targetClass),
				(key) -> resolve(method, targetClass));
	}

	private MethodRouting resolve(Method method, @Nullable Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Class<?> declaring = (targetClass != null) ? targetClass : method.getDeclaringClass();
		String description = ClassUtils.getShortName(declaring) + "." + method.getName() + "()";
		Route route = routeOf(specific);
		if (route == null && specific != method) {
			route = routeOf(method);
		}
		if (route == null) {
			route = routeOf(declaring);
		}
		if (route == null && specific != method) {
			route = routeOf(method.getDeclaringClass());
		}
		if (route != null) {
			return new MethodRouting(route, route == Route.REPLICA, description);
		}
		TransactionAttribute transaction = this.transactionAttributes.getTransactionAttribute(specific, targetClass);
		return new MethodRouting(null, transaction != null && transaction.isReadOnly(), description);
	}

	private static @Nullable Route routeOf(java.lang.reflect.AnnotatedElement element) {
		if (AnnotatedElementUtils.hasAnnotation(element, UsePrimary.class)) {
			return Route.PRIMARY;
		}
		if (AnnotatedElementUtils.hasAnnotation(element, ReadOnly.class)) {
			return Route.REPLICA;
		}
		return null;
	}

	record MethodRouting(@Nullable Route route, boolean readOnly, String description) {

		boolean applies() {
			return this.route != null || this.readOnly;
		}

	}

}
