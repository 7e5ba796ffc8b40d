package io.github.replicarouting.topology;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of what is known about one node.
 *
 * @param name the node name
 * @param role what the node is for
 * @param state whether it may be given work
 * @param reason why it is in that state, for people
 * @param writable for the primary and standbys, whether the node accepts writes ({@code read_only = 0}); always
 * {@code false} for replicas
 * @param writer whether writes currently go to this node
 * @param lag how far a replica is behind the writer, if measured; {@code null} when unknown, and
 * {@link #STOPPED} when replication is stopped
 * @param position the node's last seen GTID position, if known
 * @param since when the node entered its state
 * @since 0.1.0
 */
public record NodeStatus(String name, NodeRole role, NodeState state, String reason, boolean writable, boolean writer,
		@Nullable Duration lag, @Nullable String position, Instant since) {

	/** Lag reported for a replica whose replication is stopped: infinitely behind. */
	public static final Duration STOPPED = Duration.ofSeconds(Long.MAX_VALUE);

}
