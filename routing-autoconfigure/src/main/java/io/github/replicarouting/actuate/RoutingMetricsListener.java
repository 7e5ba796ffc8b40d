package io.github.replicarouting.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.function.SingletonSupplier;

/**
 * Records routing decisions in Micrometer: the {@value #DECISIONS} counter, tagged {@code target} ({@code primary} or
 * {@code replica}), {@code node} and {@code reason} ({@code default}, {@code annotation}, {@code readonly-tx},
 * {@code fallback}, {@code no-replica}, {@code sticky}, {@code causal}), and the {@value #CAUSAL_WAIT} timer, tagged
 * {@code node} and {@code outcome} ({@code applied} or {@code timeout}).
 *
 * @since 0.1.0
 */
public final class RoutingMetricsListener implements RoutingListener {

	/** Connections handed out by the router. */
	public static final String DECISIONS = "routing.decisions";

	/** Time reads spent waiting for a replica to apply the scope's last write. */
	public static final String CAUSAL_WAIT = "routing.causal.wait";

	private final Supplier<MeterRegistry> registry;

	private final Map<RoutingDecision, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> waits = new ConcurrentHashMap<>();

	/**
	 * Create a listener that records in the given registry.
	 * @param registry the registry
	 */
	public RoutingMetricsListener(MeterRegistry registry) {
		this(() -> registry);
	}

	/**
	 * Create a listener that looks up its registry on first use: the routing data source, which takes its listeners
	 * when it is created, must not make the registry be created early.
	 * @param registry supplies the registry
	 */
	public RoutingMetricsListener(Supplier<MeterRegistry> registry) {
		this.registry = SingletonSupplier.of(registry);
	}

	@Override
	public void onConnection(RoutingDecision decision) {
		Counter counter = this.counters.get(decision);
		if (counter == null) {
			counter = this.counters.computeIfAbsent(decision, this::counter);
		}
		counter.increment();
	}

	private Counter counter(RoutingDecision decision) {
		return Counter.builder(DECISIONS)
			.description("Connections handed out by the routing DataSource")
			.baseUnit("connections")
			.tag("target", Names.of(decision.route()))
			.tag("node", decision.node())
			.tag("reason", Names.of(decision.reason()))
			.register(this.registry.get());
	}

	@Override
	public void onCausalWait(String node, Duration waited, boolean applied) {
		String outcome = applied ? "applied" : "timeout";
		this.waits.computeIfAbsent(node + '\0' + outcome, (key) -> Timer.builder(CAUSAL_WAIT)
			.description("Time reads waited for a replica to apply their scope's last write")
			.tag("node", node)
			.tag("outcome", outcome)
			.register(this.registry.get())).record(waited);
	}

}
