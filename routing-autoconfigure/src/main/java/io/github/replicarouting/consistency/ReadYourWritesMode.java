package io.github.replicarouting.consistency;

/**
 * How reads that follow a write in the same scope avoid stale replicas.
 *
 * @since 0.1.0
 */
public enum ReadYourWritesMode {

	/** No guarantee: a read right after a write may miss it on a lagging replica. */
	NONE,

	/** After a write, the scope's reads go to the primary for {@code sticky-window}. */
	STICKY,

	/**
	 * After a write, the scope's reads go to a replica that has applied the write's GTID (waiting up to
	 * {@code causal-wait-timeout} for one), else to the primary.
	 */
	CAUSAL

}
