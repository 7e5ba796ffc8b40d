package io.github.replicarouting;

import java.util.function.Supplier;

import io.github.replicarouting.routing.ReadOnlyViolations;
import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingContext;

/**
 * Chooses the node for a block of code that cannot be annotated, for example a lambda or code outside Spring beans.
 * Same rules as {@link ReadOnly} and {@link UsePrimary}: the choice applies to connections taken inside the block, and
 * a transaction already running keeps its node.
 *
 * <pre class="code">
 * List&lt;Event&gt; events = Routing.onReplica(() -&gt; repository.findUpcoming());
 * Routing.onPrimary(() -&gt; auditLog.verify(orderId));
 * </pre>
 *
 * @since 0.1.0
 */
public final class Routing {

	private Routing() {
	}

	/**
	 * Run on a replica and return the result.
	 * @param <T> the result type
	 * @param work what to run
	 * @return the result of {@code work}
	 * @throws WriteInReadOnlyScopeException if {@code work} tries to write
	 */
	public static <T> T onReplica(Supplier<T> work) {
		try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "Routing.onReplica(..)")) {
			return work.get();
		}
		catch (RuntimeException ex) {
			throw ReadOnlyViolations.translate(ex, "Routing.onReplica(..)");
		}
	}

	/**
	 * Run on a replica.
	 * @param work what to run
	 * @throws WriteInReadOnlyScopeException if {@code work} tries to write
	 */
	public static void onReplica(Runnable work) {
		onReplica(() -> {
			work.run();
			return null;
		});
	}

	/**
	 * Run on the primary and return the result.
	 * @param <T> the result type
	 * @param work what to run
	 * @return the result of {@code work}
	 */
	public static <T> T onPrimary(Supplier<T> work) {
		try (RoutingContext.Scope scope = RoutingContext.push(Route.PRIMARY, "Routing.onPrimary(..)")) {
			return work.get();
		}
	}

	/**
	 * Run on the primary.
	 * @param work what to run
	 */
	public static void onPrimary(Runnable work) {
		onPrimary(() -> {
			work.run();
			return null;
		});
	}

}
