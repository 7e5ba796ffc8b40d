package io.github.replicarouting.routing;

/**
 * Where the connections of a scope go.
 *
 * @since 0.1.0
 */
public enum Route {

	/** The primary, which takes writes. */
	PRIMARY,

	/** A read replica. */
	REPLICA

}
