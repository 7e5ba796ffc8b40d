package io.github.replicarouting.topology;

/**
 * Adds and removes replicas while the application runs, without a restart: the auto-configuration provides one as a
 * bean (inject {@code RoutingReplicas}); {@code POST}/{@code DELETE /actuator/routing/{node}} call it. Each change is
 * logged once at WARN with who asked, and changes only this application instance: apply it to every instance (or let
 * each one discover replicas itself, {@code routing.datasource.discovery.enabled}).
 *
 * <p>Bad input changes nothing and is answered with an exception whose message says what to do.
 *
 * @since 0.1.0
 */
public interface RoutingReplicas {

	/**
	 * Build a pool for a new replica and add it to the topology. It is checked first: the URL must connect. It
	 * serves reads once the monitor has found it caught up (lag measured and within {@code max-replication-lag},
	 * or within one {@code check-interval} when no limit is set); until then it shows as {@code LAGGING}, joining.
	 * @param replica the replica
	 * @param requestedBy who asked, for the log
	 * @return what changed, for people
	 * @throws IllegalArgumentException for a name in use or not allowed, a missing URL, a weight below 1, bad Hikari
	 * settings, or a URL that does not connect (nothing is changed)
	 */
	String add(ReplicaDefinition replica, String requestedBy);

	/**
	 * Take a replica out of rotation now and remove it; reads in flight on it finish, then its pool is closed.
	 * @param name the replica's name
	 * @param requestedBy who asked, for the log
	 * @return what changed, for people
	 * @throws IllegalArgumentException if there is no such node or it is not a replica (nothing is changed)
	 * @throws IllegalStateException if it is the last replica and {@code fallback-to-primary} is false: every read
	 * would fail (nothing is changed)
	 */
	String remove(String name, String requestedBy);

}
