package io.github.replicarouting.consistency;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The consistency scope of the current thread: the token of the last write made in it, and who to tell when a new
 * write commits (the HTTP request filter, to send the token back to the client).
 *
 * <p>A thread always has a scope: writes made outside any opened scope are remembered per thread. Opening a scope
 * (per request, per task) shadows it until the returned handle is closed, which restores the previous one, so nothing
 * of a request or task stays on a pooled thread.
 *
 * @since 0.1.0
 */
public final class ConsistencyContext {

	private static final ThreadLocal<Scope> current = new ThreadLocal<>();

	private ConsistencyContext() {
	}

	/**
	 * The token of the last write of the current scope.
	 * @return the token, or {@code null} if the scope has not written
	 */
	public static @Nullable ConsistencyToken currentToken() {
		Scope scope = current.get();
		return (scope != null) ? scope.token : null;
	}

	/**
	 * Record a write that committed in the current scope.
	 * @param token the write's token
	 */
	public static void record(ConsistencyToken token) {
		Scope scope = current.get();
		if (scope == null) {
			scope = new Scope(null, null);
			current.set(scope);
		}
		scope.token = token.latest(scope.token);
		if (scope.onRecord != null) {
			scope.onRecord.accept(scope.token);
		}
	}

	/**
	 * Open a scope until the returned handle is closed.
	 * @param token the token it starts with (from a cookie, or captured from another thread), may be {@code null}
	 * @param onRecord told of every write recorded in the scope, may be {@code null}
	 * @return the handle that restores the previous scope
	 */
	public static Handle open(@Nullable ConsistencyToken token, @Nullable Consumer<ConsistencyToken> onRecord) {
		Scope previous = current.get();
		current.set(new Scope(token, onRecord));
		return new Handle(previous);
	}

	/**
	 * Forget the thread's own scope (not an opened one): for code that reuses a thread for unrelated work.
	 */
	public static void clear() {
		current.remove();
	}

	private static final class Scope {

		private @Nullable ConsistencyToken token;

		private final @Nullable Consumer<ConsistencyToken> onRecord;

		Scope(@Nullable ConsistencyToken token, @Nullable Consumer<ConsistencyToken> onRecord) {
			this.token = token;
			this.onRecord = onRecord;
		}

	}

	/**
	 * Restores the scope that was current before {@link #open}.
	 */
	public static final class Handle implements AutoCloseable {

		private final @Nullable Scope previous;

		private Handle(@Nullable Scope previous) {
			this.previous = previous;
		}

		@Override
		public void close() {
			if (this.previous != null) {
				current.set(this.previous);
			}
			else {
				current.remove();
			}
		}

	}

}
