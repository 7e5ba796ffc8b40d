package io.github.replicarouting.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;
import io.github.replicarouting.routing.RoutingReason;

/**
 * Counts the connections the router hands out, per node and reason, for the {@link RoutingEndpoint}. Independent of
 * Micrometer; costs one increment per connection.
 *
 * @since 0.1.0
 */
public final class RoutingDecisionCounter implements RoutingListener {

	private final ConcurrentMap<String, ConcurrentMap<RoutingReason, LongAdder>> counts = new ConcurrentHashMap<>();

	@Override
	public void onConnection(RoutingDecision decision) {
		this.counts.computeIfAbsent(decision.node(), (node) -> new ConcurrentHashMap<>())
			.computeIfAbsent(decision.reason(), (reason) -> new LongAdder())
			.increment();
	}

	/**
	 * The connections handed out by a node so far, by reason.
	 * @param node the node name
	 * @return reason name ({@code default}, {@code readonly-tx}, ...) to count, in the order of {@link RoutingReason},
	 * without reasons that never occurred
	 */
	public Map<String, Long> countsOf(String node) {
		Map<RoutingReason, LongAdder> byReason = this.counts.getOrDefault(node, new ConcurrentHashMap<>());
		Map<String, Long> counts = new LinkedHashMap<>();
		for (RoutingReason reason : RoutingReason.values()) {
			LongAdder count = byReason.get(reason);
			if (count != null) {
				counts.put(Names.of(reason), count.sum());
			}
		}
		return counts;
	}

}
