package io.github.replicarouting.test;

/**
 * What a node of a {@link ReplicationCluster} is for.
 *
 * @since 0.1.0
 */
public enum ClusterRole {

	/** The node that takes writes when the cluster starts ({@code read_only=0}). */
	PRIMARY,

	/**
	 * A second master: replicates from the primary and is the primary's own source ({@code standby-1} only), started
	 * with {@code read_only=1} until an operator switches writes over to it.
	 */
	STANDBY,

	/** A read replica of the primary ({@code read_only=1}). */
	REPLICA

}
