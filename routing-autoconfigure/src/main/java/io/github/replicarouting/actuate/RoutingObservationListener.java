package io.github.replicarouting.actuate;

import java.util.function.Supplier;

import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.util.function.SingletonSupplier;

/**
 * Adds the chosen node to the current observation (the HTTP request's, a scheduled task's...), so that its span says
 * where its statements ran: {@value #NODE} is the node of the latest connection, {@value #NODES} every node the
 * observation used, in order ({@code replica-2,primary}). High-cardinality key values: they reach spans, not the tags
 * of the observation's metrics.
 *
 * @since 0.1.0
 */
public final class RoutingObservationListener implements RoutingListener {

	/** The node of the latest connection. */
	public static final String NODE = "routing.node";

	/** Every node used, comma separated, in order of first use. */
	public static final String NODES = "routing.nodes";

	private final Supplier<ObservationRegistry> registry;

	/**
	 * Create a listener.
	 * @param registry the registry whose current observation is annotated
	 */
	public RoutingObservationListener(ObservationRegistry registry) {
		this(() -> registry);
	}

	/**
	 * Create a listener that looks up its registry on first use, so that the routing data source does not make it be
	 * created early.
	 * @param registry supplies the registry whose current observation is annotated
	 */
	public RoutingObservationListener(Supplier<ObservationRegistry> registry) {
		this.registry = SingletonSupplier.of(registry);
	}

	@Override
	public void onConnection(RoutingDecision decision) {
		Observation observation = this.registry.get().getCurrentObservation();
		if (observation == null || observation.isNoop()) {
			return;
		}
		String node = decision.node();
		KeyValue used = observation.getContextView().getHighCardinalityKeyValue(NODES);
		String nodes = (used == null) ? node : append(used.getValue(), node);
		observation.highCardinalityKeyValue(NODE, node);
		observation.highCardinalityKeyValue(NODES, nodes);
	}

	private static String append(String nodes, String node) {
		for (String used : nodes.split(",")) {
			if (used.equals(node)) {
				return nodes;
			}
		}
		return nodes + "," + node;
	}

}
