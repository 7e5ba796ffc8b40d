package io.github.replicarouting.routing;

import java.util.ArrayDeque;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Carries the requested route ({@link RoutingContext}) across threads for Micrometer's context propagation
 * ({@code ContextSnapshot.wrap(...)}, Reactor's automatic context propagation, Spring's
 * {@code ContextPropagatingTaskDecorator}). Registered through {@code META-INF/services}, so it is active whenever
 * {@code io.micrometer:context-propagation} is on the classpath.
 *
 * <p>Every value set opens one level on the receiving thread and every restore closes it, so a task sees the route of
 * the thread that captured it, and its thread is left as it was.
 *
 * @since 0.1.0
 */
public final class RoutingContextAccessor implements ThreadLocalAccessor<RoutingContextAccessor.RouteSnapshot> {

	/** The key under which the route is captured. */
	public static final String KEY = "io.github.replicarouting.route";

	// The depths to return to, one per value set on this thread and not yet restored.
	private static final ThreadLocal<ArrayDeque<Integer>> opened = ThreadLocal.withInitial(ArrayDeque::new);

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable RouteSnapshot getValue() {
		Route route = RoutingContext.currentRoute();
		if (route == null) {
			return null;
		}
		String origin = RoutingContext.currentOrigin();
		return new RouteSnapshot(route, (origin != null) ? origin : "another thread");
	}

	@Override
	public void setValue(RouteSnapshot value) {
		opened.get().push(RoutingContext.enter(value.route(), null, "task started in " + value.origin()));
	}

	@Override
	public void setValue() {
		opened.get().push(RoutingContext.enterWithoutRoute("task started without a route"));
	}

	@Override
	public void restore(RouteSnapshot previousValue) {
		restore();
	}

	@Override
	public void restore() {
		ArrayDeque<Integer> depths = opened.get();
		Integer depth = depths.poll();
		if (depth != null) {
			RoutingContext.exit(depth);
		}
		if (depths.isEmpty()) {
			opened.remove();
		}
	}

	/**
	 * A captured route.
	 * @param route the route requested on the capturing thread
	 * @param origin what requested it there
	 */
	public record RouteSnapshot(Route route, String origin) {
	}

}
