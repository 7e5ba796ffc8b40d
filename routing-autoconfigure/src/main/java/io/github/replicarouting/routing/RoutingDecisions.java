package io.github.replicarouting.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.replicarouting.topology.DataSourceNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells {@link RoutingListener}s what the router decided, from one decision object per node, route and reason made
 * once, so that telling them allocates nothing; a listener's failure never fails the read.
 */
final class RoutingDecisions {

	private static final Log logger = LogFactory.getLog(RoutingDataSource.class);

	private static final int REASONS = RoutingReason.values().length;

	// Concurrent: a replica added at run time gets its decisions at its first connection, once.
	private final Map<DataSourceNode, RoutingDecision[]> decisions = new ConcurrentHashMap<>();

	private final RoutingListener[] listeners;

	RoutingDecisions(List<DataSourceNode> nodes, List<RoutingListener> listeners) {
		this.listeners = listeners.toArray(new RoutingListener[0]);
		for (DataSourceNode node : nodes) {
			this.decisions.put(node, decisionsOf(node));
		}
	}

	private static RoutingDecision[] decisionsOf(DataSourceNode node) {
		RoutingDecision[] byRouteAndReason = new RoutingDecision[Route.values().length * REASONS];
		for (Route route : Route.values()) {
			for (RoutingReason reason : RoutingReason.values()) {
				byRouteAndReason[route.ordinal() * REASONS + reason.ordinal()] = new RoutingDecision(node.getName(),
						route, reason);
			}
		}
		return byRouteAndReason;
	}

	/**
	 * A replica was removed at run time: forget its decisions.
	 */
	void forget(DataSourceNode node) {
		this.decisions.remove(node);
	}

	/**
	 * A connection to {@code node} is about to be handed out.
	 */
	void connected(DataSourceNode node, Route route, RoutingReason reason) {
		if (this.listeners.length == 0) {
			return;
		}
		RoutingDecision[] byRouteAndReason = this.decisions.get(node);
		if (byRouteAndReason == null) {
			// A non-capturing method reference: no allocation once the node's decisions exist.
			byRouteAndReason = this.decisions.computeIfAbsent(node, RoutingDecisions::decisionsOf);
		}
		RoutingDecision decision = byRouteAndReason[route.ordinal() * REASONS + reason.ordinal()];
		for (RoutingListener listener : this.listeners) {
			try {
				listener.onConnection(decision);
			}
			catch (RuntimeException ex) {
				// The connection is about to be handed out: a listener's bug must neither leak it nor fail the read.
				logger.warn("RoutingListener " + listener + " failed; the connection is handed out anyway", ex);
			}
		}
	}

	/**
	 * A causal read waited on {@code replica}.
	 */
	void causalWait(DataSourceNode replica, Duration waited, boolean applied) {
		for (RoutingListener listener : this.listeners) {
			try {
				listener.onCausalWait(replica.getName(), waited, applied);
			}
			catch (RuntimeException ex) {
				logger.warn("RoutingListener " + listener + " failed; the connection is handed out anyway", ex);
			}
		}
	}

}
