package io.github.replicarouting.routing;

import io.github.replicarouting.topology.DataSourceNode;
import org.jspecify.annotations.Nullable;

/**
 * Which nodes the open {@link RoutingContext} scopes of this thread took connections from, and whether one was a
 * read-write connection to a writer: what {@link RoutingFailures} needs to tell, when a scope fails, whether one
 * node's connection broke and whether running the scope again could repeat a write.
 *
 * <p>The router writes it ({@link #connected}), the failure reporter reads it, and {@link RoutingContext} only clears
 * the levels it closes: routes travel down the context, what the connections did travels through here. Like the
 * context it is one {@code Object[]} per thread kept for the thread's life (no allocation per connection), level
 * {@code n} of the context at slots {@code 2n} and {@code 2n + 1}, cleared when the level closes so that no node stays
 * referenced from a pooled thread.
 */
final class ScopeConnections {

	private static final int SLOTS = 2;

	private static final int NODE = 0;

	private static final int WROTE = 1;

	// Stands for "connections to more than one node" in a NODE slot.
	private static final Object MIXED = new Object();

	private static final int INITIAL_LEVELS = 8;

	// Slot 0 holds an int[1]: the deepest level that holds anything, so that closing a scope that took no
	// connection touches nothing.
	private static final ThreadLocal<Object[]> ledgers = ThreadLocal.withInitial(ScopeConnections::newLedger);

	private ScopeConnections() {
	}

	private static Object[] newLedger() {
		Object[] ledger = new Object[SLOTS * (INITIAL_LEVELS + 1)];
		ledger[0] = new int[1];
		return ledger;
	}

	/**
	 * A connection to {@code node} is handed out in the open scopes (every open level: a failure in a nested scope
	 * also ends the scopes around it). Does nothing outside a scope.
	 * @param node the node it came from
	 * @param readWrite whether it is a read-write connection to a writer (whose writes may have been committed)
	 */
	static void connected(DataSourceNode node, boolean readWrite) {
		int depth = RoutingContext.depth();
		if (depth == 0) {
			return;
		}
		Object[] ledger = ledgers.get();
		if (SLOTS * (depth + 1) > ledger.length) {
			ledger = grow(ledger, depth);
		}
		int[] deepest = (int[]) ledger[0];
		if (depth > deepest[0]) {
			deepest[0] = depth;
		}
		for (int level = depth; level > 0; level--) {
			int slot = SLOTS * level + NODE;
			Object noted = ledger[slot];
			ledger[slot] = (noted == null || noted == node) ? node : MIXED;
			if (readWrite) {
				ledger[SLOTS * level + WROTE] = Boolean.TRUE;
			}
		}
	}

	/**
	 * The one node the innermost scope and the scopes nested in it took connections from.
	 * @return the node, or {@code null} if they took none or connections to more than one node
	 */
	static @Nullable DataSourceNode soleNode() {
		Object node = innermost(NODE);
		return (node instanceof DataSourceNode sole) ? sole : null;
	}

	/**
	 * Whether the innermost scope or a scope nested in it took a read-write connection to a writer, so that running it
	 * again could repeat a write.
	 * @return {@code true} if it may have written
	 */
	static boolean mayHaveWritten() {
		return innermost(WROTE) != null;
	}

	/**
	 * Forget the levels deeper than {@code depth}; called by {@link RoutingContext} as it closes them.
	 * @param depth the depth left open
	 */
	static void closeLevelsAbove(int depth) {
		Object[] ledger = ledgers.get();
		int[] deepest = (int[]) ledger[0];
		for (int level = deepest[0]; level > depth; level--) {
			ledger[SLOTS * level + NODE] = null;
			ledger[SLOTS * level + WROTE] = null;
		}
		if (deepest[0] > depth) {
			deepest[0] = depth;
		}
	}

	private static @Nullable Object innermost(int slot) {
		int depth = RoutingContext.depth();
		Object[] ledger = ledgers.get();
		return (depth > 0 && SLOTS * (depth + 1) <= ledger.length) ? ledger[SLOTS * depth + slot] : null;
	}

	private static Object[] grow(Object[] ledger, int depth) {
		Object[] larger = new Object[Math.max(ledger.length * 2, SLOTS * (depth + 1))];
		System.arraycopy(ledger, 0, larger, 0, ledger.length);
		ledgers.set(larger);
		return larger;
	}

}
