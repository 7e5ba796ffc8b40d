package io.github.replicarouting.consistency;

import java.util.ArrayDeque;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Carries the read-your-writes token of the current scope ({@link ConsistencyContext}) across threads for Micrometer's
 * context propagation, so that a task reads what the thread that started it wrote. Registered through
 * {@code META-INF/services}, so it is active whenever {@code io.micrometer:context-propagation} is on the classpath.
 * Writes made by the task are recorded in its own scope, which is closed when the task's context is restored.
 *
 * @since 0.1.0
 */
public final class ConsistencyTokenAccessor implements ThreadLocalAccessor<ConsistencyToken> {

	/** The key under which the token is captured. */
	public static final String KEY = "io.github.replicarouting.consistency-token";

	// The scopes opened on this thread and not yet restored, innermost first.
	private static final ThreadLocal<ArrayDeque<ConsistencyContext.Handle>> opened = ThreadLocal
		.withInitial(ArrayDeque::new);

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable ConsistencyToken getValue() {
		return ConsistencyContext.currentToken();
	}

	@Override
	public void setValue(ConsistencyToken value) {
		opened.get().push(ConsistencyContext.open(value, null));
	}

	@Override
	public void setValue() {
		opened.get().push(ConsistencyContext.open(null, null));
	}

	@Override
	public void restore(ConsistencyToken previousValue) {
		restore();
	}

	@Override
	public void restore() {
		ArrayDeque<ConsistencyContext.Handle> handles = opened.get();
		ConsistencyContext.Handle handle = handles.poll();
		if (handle != null) {
			handle.close();
		}
		if (handles.isEmpty()) {
			opened.remove();
		}
	}

}
