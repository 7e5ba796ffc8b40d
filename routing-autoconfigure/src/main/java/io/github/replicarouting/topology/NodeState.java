package io.github.replicarouting.topology;

/**
 * Whether a node may be given work.
 *
 * @since 0.1.0
 */
public enum NodeState {

	/** Reachable, and for a replica not too far behind. */
	UP,

	/** Could not give a connection or answer the monitor; skipped until the monitor reaches it again. */
	DOWN,

	/** A replica behind the writer by more than {@code routing.datasource.max-replication-lag}, or not replicating. */
	LAGGING

}
