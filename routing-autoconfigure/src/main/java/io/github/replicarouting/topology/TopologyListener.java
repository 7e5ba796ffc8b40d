package io.github.replicarouting.topology;

/**
 * Told by a {@link Topology} when something about its nodes changes. Called on the thread that reported the change,
 * possibly while the topology holds its lock: return quickly and never call back into the topology's reporting
 * methods.
 *
 * @since 0.1.0
 */
public interface TopologyListener {

	/**
	 * A node changed state (up, down, lagging).
	 * @param node the node
	 * @param previous its state before
	 * @param current its state now
	 */
	default void nodeStateChanged(DataSourceNode node, NodeState previous, NodeState current) {
	}

	/**
	 * A replica was added at run time ({@link Topology#addReplica}); it is out of rotation until caught up. Called
	 * without the topology's lock.
	 * @param node the new replica
	 */
	default void nodeAdded(DataSourceNode node) {
	}

	/**
	 * A replica was removed at run time ({@link Topology#removeReplica}). Called without the topology's lock.
	 * @param node the replica, no longer part of the topology
	 */
	default void nodeRemoved(DataSourceNode node) {
	}

	/**
	 * The router or a routed method found no writer, or a writer that refused a write as read-only (a switchover has
	 * begun): whoever watches the nodes should check the writer candidates now rather than at the next interval.
	 */
	default void writerCheckRequested() {
	}

}
