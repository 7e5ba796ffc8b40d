package io.github.replicarouting.routing;

/**
 * Why a connection went to the node it went to.
 *
 * @since 0.1.0
 */
public enum RoutingReason {

	/** Requested by {@code @ReadOnly}, {@code @UsePrimary} or the {@code Routing} API. */
	ANNOTATION,

	/** A read-only transaction ({@code @Transactional(readOnly = true)}, Spring Data reads). */
	READ_ONLY_TRANSACTION,

	/** Nothing asked for a replica: writes, read-write transactions and code without a transaction. */
	DEFAULT,

	/** A replica was asked for but none is configured, so the primary served. */
	NO_REPLICA,

	/** A replica was asked for but none was in rotation, so the primary served ({@code fallback-to-primary}). */
	FALLBACK,

	/** A replica was asked for, but the scope wrote within {@code sticky-window}, so the primary served. */
	STICKY,

	/** A replica was asked for, but none had (or caught up with) the scope's last write in time. */
	CAUSAL

}
