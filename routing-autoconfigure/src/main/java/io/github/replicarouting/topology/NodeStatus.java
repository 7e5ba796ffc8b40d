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
 * @param administrativeState what an operator decided for it; it is given work only while {@code ACTIVE}
 * @since 0.1.0
 */
public record NodeStatus(String name, NodeRole role, NodeState state, String reason, boolean writable, boolean writer,
		@Nullable Duration lag, @Nullable String position, Instant since, AdministrativeState administrativeState) {

	/**
	 * A status of a node no operator has taken out of rotation.
	 * @param name the node name
	 * @param role what the node is for
	 * @param state whether it may be given work
	 * @param reason why it is in that state
	 * @param writable whether it accepts writes
	 * @param writer whether writes go to it
	 * @param lag how far a replica is behind
	 * @param position its last seen GTID position
	 * @param since when it entered its state
	 */
	public NodeStatus(String name, NodeRole role, NodeState state, String reason, boolean writable, boolean writer,
			@Nullable Duration lag, @Nullable String position, Instant since) {
		this(name, role, state, reason, writable, writer, lag, position, since, AdministrativeState.ACTIVE);
	}

	/**
	 * Whether the monitor and the operator both let the node be given work (a replica may serve reads, a writer
	 * candidate may take writes if writable).
	 * @return {@code true} if up and active
	 */
	public boolean inService() {
		return this.state == NodeState.UP && this.administrativeState == AdministrativeState.ACTIVE;
	}

	/** Lag reported for a replica whose replication is stopped: infinitely behind. */
	public static final Duration STOPPED = Duration.ofSeconds(Long.MAX_VALUE);

}
