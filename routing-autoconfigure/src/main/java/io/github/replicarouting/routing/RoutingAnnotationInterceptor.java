package io.github.replicarouting.routing;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.replicarouting.NoReplicaAvailableException;
import io.github.replicarouting.NodeNotAnsweringException;
import io.github.replicarouting.NoWritablePrimaryException;
import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Opens a {@link RoutingContext} scope around methods annotated with {@link ReadOnly} or {@link UsePrimary} and around
 * transactional methods, before the transaction interceptor takes a connection, and reports writes rejected in
 * read-only methods (including {@code @Transactional(readOnly = true)} ones) as
 * {@link io.github.replicarouting.WriteInReadOnlyScopeException}.
 *
 * <p>For a transactional method the scope also says whether the transaction it is about to begin is read-only: Spring
 * publishes that flag only after the transaction manager has taken its connection, and knowing it earlier lets the
 * router hand out that connection straight from the right node instead of a lazy handle.
 *
 * <p>Longer than the other classes because it keeps the per-method routing cache and the retry loop beside the
 * scope it opens; the retry path is a separate method so that the common path stays small enough to inline. What a
 * failed scope tells the topology goes through {@link RoutingFailures}.
 *
 * @since 0.1.0
 */
public class RoutingAnnotationInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(RoutingAnnotationInterceptor.class);

	private final TransactionAttributeSource transactionAttributes;

	private final boolean retryFailedReads;

	private final RoutingFailures failures;

	// Keyed by identity (class, then method) so that a lookup allocates nothing: this runs on every routed call.
	private final ClassValue<MethodRoutings> cache = new ClassValue<>() {

		@Override
		protected MethodRoutings computeValue(Class<?> type) {
			return new MethodRoutings(TargetClassAware.class.isAssignableFrom(type)
					|| SpringProxy.class.isAssignableFrom(type));
		}

	};

	/**
	 * Create an interceptor.
	 * @param transactionAttributes tells which methods run read-only transactions
	 * @param retryFailedReads whether an outermost read-only method whose connection broke is run again (at most once
	 * per replica)
	 * @param topology the topology to tell when a replica connection breaks, if there is one
	 */
	public RoutingAnnotationInterceptor(TransactionAttributeSource transactionAttributes, boolean retryFailedReads,
			Supplier<@Nullable Topology> topology) {
		this.transactionAttributes = transactionAttributes;
		this.retryFailedReads = retryFailedReads;
		this.failures = new RoutingFailures(topology);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		MethodRouting routing = routingForTarget(invocation.getMethod(), invocation.getThis());
		if (this.retryFailedReads && routing.readOnly()) {
			return invokeWithRetry(invocation, routing);
		}
		return proceedInScope(invocation, routing);
	}

	// Kept apart from invoke so that the path every call takes stays small enough for the JIT to inline.
	private @Nullable Object invokeWithRetry(MethodInvocation invocation, MethodRouting routing) throws Throwable {
		boolean mayRetry = RoutingContext.depth() == 0 && !TransactionSynchronizationManager.isActualTransactionActive()
				&& invocation instanceof ProxyMethodInvocation;
		if (!mayRetry) {
			return proceedInScope(invocation, routing);
		}
		// Each broken connection takes its replica out of rotation, so one more run per replica is enough to reach a
		// live node (or the primary, with fallback-to-primary) when several replicas die at once.
		int retries = this.failures.readRetries();
		MethodInvocation attempt = invocation;
		for (int retry = 0;; retry++) {
			// A clone can proceed once; it must be made before its original proceeds.
			MethodInvocation next = (retry < retries) ? ((ProxyMethodInvocation) attempt).invocableClone() : null;
			RuntimeException failure;
			boolean runAgain;
			int depth = RoutingContext.enter(routing.route(), routing.transactionRoute(), routing.description());
			try {
				return attempt.proceed();
			}
			catch (RuntimeException ex) {
				failure = failure(ex, routing);
				// Read-only, outermost, no transaction around it, and nothing written on its way (a nested @UsePrimary
				// or REQUIRES_NEW write may have committed, or its outcome is unknown): safe to run again.
				runAgain = next != null && !this.failures.scopeMayHaveWritten()
						&& ConnectionFailures.isNodeFailure(ex);
			}
			finally {
				RoutingContext.exit(depth);
			}
			if (!runAgain) {
				throw failure;
			}
			logger.warn("Connection broke during read-only " + routing.description() + ", running it again: "
					+ Secrets.describe(failure));
			attempt = next;
		}
	}

	private @Nullable Object proceedInScope(MethodInvocation invocation, MethodRouting routing) throws Throwable {
		if (!routing.applies()) {
			return invocation.proceed();
		}
		int depth = RoutingContext.enter(routing.route(), routing.transactionRoute(), routing.description());
		try {
			return invocation.proceed();
		}
		catch (RuntimeException ex) {
			throw failure(ex, routing);
		}
		finally {
			RoutingContext.exit(depth);
		}
	}

	private RuntimeException failure(RuntimeException failure, MethodRouting routing) {
		RuntimeException ex = unwrapRoutingFailure(failure);
		if (!(ex instanceof NodeNotAnsweringException)) {
			// A connection failure on a node the monitor found not answering (and whose connections it aborted) names
			// the node and says whether writes may have happened.
			RoutingFailures.NotAnswering notAnswering = this.failures.notAnswering(ex);
			if (notAnswering != null) {
				return new NodeNotAnsweringException(notAnswering.node().getName(), notAnswering.waited(),
						routing.readOnly(), ex);
			}
		}
		if (!routing.readOnly()) {
			if (RoutingContext.currentRoute() != Route.REPLICA && ReadOnlyViolations.isReadOnlyViolation(ex)) {
				// The writer refused a write: it was made read-only (a switchover). Find the new writer now.
				this.failures.writerMissing();
			}
			return ex;
		}
		this.failures.readOnlyScopeFailed(ex);
		return ReadOnlyViolations.translate(ex, routing.description());
	}

	/**
	 * The transaction manager takes its connection when it begins, so the router's own errors (no writable primary,
	 * no replica) reach the caller wrapped in "Could not open ... for transaction". Unwrapped, the caller gets the
	 * message that says what happened and what to do; the transaction never began, so nothing is lost.
	 */
	private static RuntimeException unwrapRoutingFailure(RuntimeException ex) {
		if (ex instanceof CannotCreateTransactionException && (ex.getCause() instanceof NoWritablePrimaryException
				|| ex.getCause() instanceof NoReplicaAvailableException)) {
			return (RuntimeException) ex.getCause();
		}
		return ex;
	}

	/**
	 * How a method is routed: by its annotations, else by the transaction it begins.
	 * @param method the invoked method
	 * @param targetClass the target class, if known
	 * @return the routing of the method, never {@code null}
	 */
	MethodRouting routingFor(Method method, @Nullable Class<?> targetClass) {
		Class<?> type = (targetClass != null) ? targetClass : method.getDeclaringClass();
		return routingFor(method, type, this.cache.get(type));
	}

	private MethodRouting routingForTarget(Method method, @Nullable Object target) {
		if (target == null) {
			return routingFor(method, (Class<?>) null);
		}
		// A bean's own class is its target class, and reading it costs nothing; only a target that is itself a proxy
		// needs AopUtils (whose instanceof checks cost more than the rest of the interceptor).
		Class<?> type = target.getClass();
		MethodRoutings methods = this.cache.get(type);
		if (methods.proxy) {
			return routingFor(method, AopUtils.getTargetClass(target));
		}
		return routingFor(method, type, methods);
	}

	private MethodRouting routingFor(Method method, Class<?> type, MethodRoutings methods) {
		MethodRouting routing = methods.get(method);
		if (routing == null) {
			// Resolved at most a few times per method under a race; every result is the same.
			routing = resolve(method, type);
			MethodRouting raced = methods.putIfAbsent(method, routing);
			if (raced != null) {
				routing = raced;
			}
		}
		return routing;
	}

	private MethodRouting resolve(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Class<?> declaring = targetClass;
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
		TransactionAttribute transaction = this.transactionAttributes.getTransactionAttribute(specific, targetClass);
		Route transactionRoute = (transaction == null) ? null
				: (transaction.isReadOnly() ? Route.REPLICA : Route.PRIMARY);
		if (route != null) {
			// The transaction's route is kept only to tell the router that a @UsePrimary method's read-only
			// transaction is still read-only.
			boolean readOnly = route == Route.REPLICA || transactionRoute == Route.REPLICA;
			return new MethodRouting(route, (route == Route.PRIMARY) ? transactionRoute : null, readOnly, description);
		}
		return new MethodRouting(null, transactionRoute, transactionRoute == Route.REPLICA, description);
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

	/**
	 * The routing of the methods called on one class, and whether that class is a proxy (whose target class must be
	 * asked for).
	 */
	@SuppressWarnings("serial")
	private static final class MethodRoutings extends ConcurrentHashMap<Method, MethodRouting> {

		private final boolean proxy;

		MethodRoutings(boolean proxy) {
			this.proxy = proxy;
		}

	}

	/**
	 * How a method is routed.
	 * @param route the route its annotations request, if any
	 * @param transactionRoute without a requested route, where the transaction it starts belongs (the replicas for a
	 * read-only one): lets the router hand out a physical connection when the transaction manager begins it, before
	 * Spring publishes the read-only flag
	 * @param readOnly whether writes are refused in it (reported as
	 * {@link io.github.replicarouting.WriteInReadOnlyScopeException})
	 * @param description the method, for messages
	 */
	record MethodRouting(@Nullable Route route, @Nullable Route transactionRoute, boolean readOnly,
			String description) {

		boolean applies() {
			return this.route != null || this.transactionRoute != null;
		}

	}

}
