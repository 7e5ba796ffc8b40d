package io.github.replicarouting.topology;

/**
 * What a node is for.
 *
 * @since 0.1.0
 */
public enum NodeRole {

	/** The configured primary: the first candidate for writes. */
	PRIMARY,

	/** A failover candidate for writes, used when it is the first writable node. */
	STANDBY,

	/** A read replica. */
	REPLICA

}
