package io.github.replicarouting.routing;

/**
 * Told about every physical connection the {@link RoutingDataSource} takes from a node. Declare beans of this type to
 * log, count or expose routing decisions. Called on the thread that takes the connection; keep it fast.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RoutingListener {

	/**
	 * A connection was taken from a node.
	 * @param decision where it went and why
	 */
	void onConnection(RoutingDecision decision);

}
