package io.github.replicarouting.topology;

/**
 * What an operator decided for a node, kept apart from what the monitor found ({@link NodeState}): a node is given
 * work only when both allow it. The monitor never changes it; only {@link Topology#setAdministrativeState} does.
 *
 * @since 0.2.0
 */
public enum AdministrativeState {

	/** In rotation whenever the monitor finds the node up. */
	ACTIVE,

	/**
	 * No new connection is handed out from the node; connections in use finish their work and close when returned,
	 * idle ones close at once (MaxScale's {@code drain}, ProxySQL's {@code OFFLINE_SOFT}).
	 */
	DRAIN,

	/**
	 * Out of rotation at once and its pool emptied: idle connections close and the ones in use are aborted. The
	 * monitor keeps probing the node (its state, lag and position stay current) but does not put it back.
	 */
	MAINTENANCE

}
