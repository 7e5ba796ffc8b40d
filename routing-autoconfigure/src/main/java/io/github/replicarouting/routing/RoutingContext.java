package io.github.replicarouting.routing;

import org.jspecify.annotations.Nullable;

/**
 * The routes requested on the current thread, as a stack. The innermost {@code @ReadOnly}/{@code @UsePrimary} method (or
 * {@code Routing} call) decides, except that a request for the primary holds for everything nested in it: code that
 * asked for fresh data is never sent back to a replica by a read-only method it calls. Every {@link #push} returns a
 * {@link Scope} that must be closed (try-with-resources), which restores the previous route even when the method
 * throws.
 *
 * <p>The stack is a plain {@code Object[]} kept for the thread's life, so that entering and leaving a scope allocates
 * nothing (this runs around every routed method). Leaving a level clears its slots, so no route, origin or transaction stays
 * referenced from a pooled thread, and since only JDK types sit in the thread-local it pins no class loader.
 *
 * <p>Routes travel one way, from the annotations down to the router: the router reads them, and takes the scope's
 * transaction route once (its first connection is the transaction's). Nothing travels back through the context; which
 * nodes a scope's connections came from is kept by the failure reporter's {@code ScopeConnections}, whose levels
 * {@link #exit(int)} clears with its own.
 *
 * @since 0.1.0
 */
public final class RoutingContext {

	// Slot 0 holds an int[1] with the depth; level n (1-based) uses the SLOTS slots starting at 1 + (n - 1) * SLOTS.
	private static final int SLOTS = 5;

	private static final int ROUTE = 0;

	private static final int ORIGIN = 1;

	private static final int TRANSACTION_ROUTE = 2;

	// The TransactionInfo bound when the scope opened: the transaction route belongs to a transaction begun while it
	// is still bound, not to one begun inside the method's body (where the method's own TransactionInfo is bound).
	private static final int TRANSACTION_OWNER = 3;

	// The route the innermost annotation asked for, before an outer request for the primary overrides it.
	private static final int ASKED_ROUTE = 4;

	private static final int INITIAL_LEVELS = 8;

	private static final ThreadLocal<Object[]> stacks = ThreadLocal.withInitial(RoutingContext::newStack);

	private RoutingContext() {
	}

	private static Object[] newStack() {
		Object[] stack = new Object[1 + INITIAL_LEVELS * SLOTS];
		stack[0] = new int[1];
		return stack;
	}

	/**
	 * Request a route until the returned scope is closed.
	 * @param route the route, or {@code null} to open a scope that keeps the route in force (used to track a
	 * read-only transaction's method)
	 * @param origin what requested it, for messages (e.g. {@code EventService.list()})
	 * @return the scope to close
	 */
	public static Scope push(@Nullable Route route, String origin) {
		return new Scope(enter(route, null, origin));
	}

	/**
	 * Open a scope without allocating; the caller must call {@link #exit(int)} with the returned value in a
	 * {@code finally} block.
	 * @param route the route, or {@code null} to keep the route in force
	 * @param transactionRoute where the transaction the method is about to start belongs ({@link Route#REPLICA} for
	 * a read-only one), or {@code null} if it starts none; consumed by the first connection requested in the scope
	 * @param origin what requested it, for messages
	 * @return the depth before entering, to give to {@link #exit(int)}
	 */
	static int enter(@Nullable Route route, @Nullable Route transactionRoute, String origin) {
		return enter(route, transactionRoute, origin, true);
	}

	/**
	 * Open a scope in which no route is requested, whatever the outer scopes asked: for work handed over from a
	 * thread that had none. Close it with {@link #exit(int)}.
	 * @param origin what opened it, for messages
	 * @return the depth before entering, to give to {@link #exit(int)}
	 */
	static int enterWithoutRoute(String origin) {
		return enter(null, null, origin, false);
	}

	private static int enter(@Nullable Route route, @Nullable Route transactionRoute, String origin, boolean inherit) {
		Object[] stack = stacks.get();
		int[] depth = (int[]) stack[0];
		int outer = depth[0];
		int base = base(outer + 1);
		if (base + SLOTS > stack.length) {
			stack = grow(stack);
		}
		Route outerRoute = (inherit && outer > 0) ? (Route) stack[base(outer) + ROUTE] : null;
		Route outerAsked = (inherit && outer > 0) ? (Route) stack[base(outer) + ASKED_ROUTE] : null;
		stack[base + ROUTE] = (outerRoute == Route.PRIMARY || route == null) ? outerRoute : route;
		stack[base + ORIGIN] = origin;
		stack[base + TRANSACTION_ROUTE] = transactionRoute;
		stack[base + TRANSACTION_OWNER] = (transactionRoute != null) ? TransactionInfos.current() : null;
		stack[base + ASKED_ROUTE] = (route != null) ? route : outerAsked;
		depth[0] = outer + 1;
		return outer;
	}

	/**
	 * Close every scope opened since {@link #enter} returned {@code depth}: a scope left open by mistake inside must
	 * not outlive its caller.
	 * @param depth the value returned by {@link #enter}
	 */
	static void exit(int depth) {
		Object[] stack = stacks.get();
		int[] current = (int[]) stack[0];
		for (int level = current[0]; level > depth; level--) {
			int base = base(level);
			stack[base + ROUTE] = null;
			stack[base + ORIGIN] = null;
			stack[base + TRANSACTION_ROUTE] = null;
			stack[base + TRANSACTION_OWNER] = null;
			stack[base + ASKED_ROUTE] = null;
		}
		if (current[0] > depth) {
			current[0] = depth;
		}
		ScopeConnections.closeLevelsAbove(depth);
	}

	private static int base(int level) {
		return 1 + (level - 1) * SLOTS;
	}

	private static Object[] grow(Object[] stack) {
		Object[] larger = new Object[1 + (stack.length - 1) * 2];
		System.arraycopy(stack, 0, larger, 0, stack.length);
		stacks.set(larger);
		return larger;
	}

	private static @Nullable Object top(int slot) {
		Object[] stack = stacks.get();
		int depth = ((int[]) stack[0])[0];
		return (depth > 0) ? stack[base(depth) + slot] : null;
	}

	/**
	 * The route in force on this thread: the innermost open scope's, or the primary if any open scope asked for it.
	 * @return the route, or {@code null} when nothing was requested
	 */
	public static @Nullable Route currentRoute() {
		return (Route) top(ROUTE);
	}

	/**
	 * Whether the innermost open scope is read-only even though it runs on the primary: its innermost annotation asked
	 * for a replica ({@code @ReadOnly} inside {@code @UsePrimary}), or its method begins a read-only transaction that no
	 * connection has been taken for yet. The primary then serves it in read-only sessions.
	 * @return {@code true} for a read-only scope
	 */
	public static boolean isReadOnlyScope() {
		Object[] stack = stacks.get();
		int depth = ((int[]) stack[0])[0];
		if (depth == 0) {
			return false;
		}
		int base = base(depth);
		return stack[base + ASKED_ROUTE] == Route.REPLICA || stack[base + TRANSACTION_ROUTE] == Route.REPLICA;
	}

	/**
	 * What opened the innermost scope on this thread.
	 * @return a description of the origin, or {@code null}
	 */
	public static @Nullable String currentOrigin() {
		return (String) top(ORIGIN);
	}

	/**
	 * Number of open scopes on this thread.
	 * @return the depth, 0 when nothing was requested
	 */
	public static int depth() {
		return ((int[]) stacks.get()[0])[0];
	}

	/**
	 * Where the transaction started by the innermost scope's method belongs, once: the first connection requested in
	 * the scope consumes it, and only a connection the transaction manager takes when it begins that transaction can
	 * use it. Once the method's body runs (its transaction begun without a connection, or joined), a transaction
	 * begun there, by a {@code TransactionTemplate} say, is routed by its own definition.
	 * @return the route of the method's transaction, or {@code null} if it starts none or it was consumed
	 */
	static @Nullable Route takeTransactionRoute() {
		Object[] stack = stacks.get();
		int depth = ((int[]) stack[0])[0];
		if (depth == 0) {
			return null;
		}
		int base = base(depth);
		Route route = (Route) stack[base + TRANSACTION_ROUTE];
		if (route == null) {
			return null;
		}
		Object owner = stack[base + TRANSACTION_OWNER];
		stack[base + TRANSACTION_ROUTE] = null;
		stack[base + TRANSACTION_OWNER] = null;
		return (TransactionInfos.current() == owner) ? route : null;
	}

	/**
	 * An open routing scope; closing it restores the route that was current before it.
	 */
	public static final class Scope implements AutoCloseable {

		private final int depth;

		private Scope(int depth) {
			this.depth = depth;
		}

		@Override
		public void close() {
			exit(this.depth);
		}

	}

}
