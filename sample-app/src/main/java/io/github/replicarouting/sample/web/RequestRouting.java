package io.github.replicarouting.sample.web;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The database nodes that served the current HTTP request, in the order they were first used. Bound to the request's
 * thread by {@link RoutingHeadersFilter} and filled by {@link RoutingHeadersListener}.
 *
 * @since 0.1.0
 */
public final class RequestRouting {

	private static final ThreadLocal<RequestRouting> current = new ThreadLocal<>();

	private final Set<String> reads = new LinkedHashSet<>();

	private final Set<String> nodes = new LinkedHashSet<>();

	private RequestRouting() {
	}

	/**
	 * Start recording for the current thread.
	 * @return the new record
	 */
	static RequestRouting begin() {
		RequestRouting routing = new RequestRouting();
		current.set(routing);
		return routing;
	}

	/**
	 * Stop recording for the current thread.
	 */
	static void end() {
		current.remove();
	}

	/**
	 * The record of the request running on this thread.
	 * @return the record, or {@code null} outside an HTTP request (startup, scheduled work)
	 */
	public static @Nullable RequestRouting current() {
		return current.get();
	}

	/**
	 * Record a connection taken from a node.
	 * @param node the node name
	 * @param read whether the connection was taken for reading
	 */
	public void record(String node, boolean read) {
		this.nodes.add(node);
		if (read) {
			this.reads.add(node);
		}
	}

	/**
	 * Nodes that served reads.
	 * @return node names, in order of first use
	 */
	public Set<String> reads() {
		return new LinkedHashSet<>(this.reads);
	}

	/**
	 * Nodes that served reads or writes.
	 * @return node names, in order of first use
	 */
	public Set<String> nodes() {
		return new LinkedHashSet<>(this.nodes);
	}

}
