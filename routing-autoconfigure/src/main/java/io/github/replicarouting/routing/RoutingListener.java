package io.github.replicarouting.routing;

import java.time.Duration;

/**
 * Told about every physical connection the {@link RoutingDataSource} takes from a node. Declare beans of this type to
 * log, count or expose routing decisions. Called on the thread that takes the connection; keep it fast. An exception
 * it throws is logged and the connection handed out all the same.
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

	/**
	 * A read under causal read-your-writes waited on a replica for the scope's last write to be applied.
	 * @param node the replica waited on
	 * @param waited how long the wait took
	 * @param applied whether the replica applied the write in time (if not, the read went to the writer)
	 */
	default void onCausalWait(String node, Duration waited, boolean applied) {
	}

}
