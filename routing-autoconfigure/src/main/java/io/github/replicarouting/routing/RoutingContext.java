package io.github.replicarouting.routing;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * The routes requested on the current thread, as a stack. The innermost {@code @ReadOnly}/{@code @UsePrimary} method (or
 * {@code Routing} call) decides, except that a request for the primary holds for everything nested in it: code that
 * asked for fresh data is never sent back to a replica by a read-only method it calls. Every {@link #push} returns a
 * {@link Scope} that must be closed (try-with-resources), which restores the previous route even when the method
 * throws.
 *
 * <p>The thread-local is removed when the stack is empty, so nothing stays behind on a pooled thread.
 *
 * @since 0.1.0
 */
public final class RoutingContext {

	private static final ThreadLocal<ArrayDeque<Frame>> frames = new ThreadLocal<>();

	private RoutingContext() {
	}

	/**
	 * Request a route until the returned scope is closed.
	 * @param route the route, or {@code null} to open a scope that keeps the route in force (used to track a
	 * read-only transaction's method)
	 * @param origin what requested it, for messages (e.g. {@code EventService.list()})
	 * @return the scope to close
	 */
	public static Scope push(@Nullable Route route, String origin) {
		ArrayDeque<Frame> stack = frames.get();
		if (stack == null) {
			stack = new ArrayDeque<>(4);
			frames.set(stack);
		}
		Frame outer = stack.peek();
		Route effective = (outer != null && (outer.route == Route.PRIMARY || route == null)) ? outer.route : route;
		Frame frame = new Frame(effective, origin);
		stack.push(frame);
		return new Scope(frame);
	}

	/**
	 * The route in force on this thread: the innermost open scope's, or the primary if any open scope asked for it.
	 * @return the route, or {@code null} when nothing was requested
	 */
	public static @Nullable Route currentRoute() {
		ArrayDeque<Frame> stack = frames.get();
		Frame top = (stack != null) ? stack.peek() : null;
		return (top != null) ? top.route : null;
	}

	/**
	 * What opened the innermost scope on this thread.
	 * @return a description of the origin, or {@code null}
	 */
	public static @Nullable String currentOrigin() {
		ArrayDeque<Frame> stack = frames.get();
		Frame top = (stack != null) ? stack.peek() : null;
		return (top != null) ? top.origin : null;
	}

	/**
	 * Number of open scopes on this thread.
	 * @return the depth, 0 when nothing was requested
	 */
	public static int depth() {
		ArrayDeque<Frame> stack = frames.get();
		return (stack != null) ? stack.size() : 0;
	}

	/**
	 * Remember the replica that served the innermost scope's last connection, so that a scope whose connection
	 * broke can take that replica out of rotation. Does nothing outside a scope.
	 * @param replica the replica's node
	 */
	public static void noteReplica(Object replica) {
		ArrayDeque<Frame> stack = frames.get();
		Frame top = (stack != null) ? stack.peek() : null;
		if (top != null) {
			top.lastReplica = replica;
		}
	}

	/**
	 * The replica noted by {@link #noteReplica} in the innermost scope.
	 * @return the replica's node, or {@code null}
	 */
	public static @Nullable Object lastReplica() {
		ArrayDeque<Frame> stack = frames.get();
		Frame top = (stack != null) ? stack.peek() : null;
		return (top != null) ? top.lastReplica : null;
	}

	private static final class Frame {

		private final @Nullable Route route;

		private final String origin;

		private @Nullable Object lastReplica;

		Frame(@Nullable Route route, String origin) {
			this.route = route;
			this.origin = origin;
		}

	}

	/**
	 * An open routing scope; closing it restores the route that was current before it.
	 */
	public static final class Scope implements AutoCloseable {

		private final Frame frame;

		private Scope(Frame frame) {
			this.frame = frame;
		}

		@Override
		public void close() {
			ArrayDeque<Frame> stack = frames.get();
			if (stack == null) {
				return;
			}
			// Pop up to and including our frame: a scope left open by mistake inside us must not outlive us.
			while (!stack.isEmpty()) {
				if (stack.pop() == this.frame) {
					break;
				}
			}
			if (stack.isEmpty()) {
				frames.remove();
			}
		}

	}

}
