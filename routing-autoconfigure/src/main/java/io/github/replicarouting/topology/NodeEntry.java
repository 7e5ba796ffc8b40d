package io.github.replicarouting.topology;

import java.time.Duration;
import java.time.Instant;

import io.github.replicarouting.database.GtidPosition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Topology} knows about one node, and the rules of its transitions: what a probe's answer means (up,
 * lagging, joining), going down, and whether the node may serve reads or take writes. Changed only under the
 * topology's lock; the fields read on the router's and the probes' paths without it are volatile.
 *
 * <p>A new monitor state goes here (when it is entered: {@link #recordReachable}; whether it may serve:
 * {@link #mayServeReads()}, {@link #mayTakeWrites()}), beside its {@link NodeState} value.
 */
final class NodeEntry {

	// The topology's category, so that users' log levels for it keep covering these messages.
	private static final Log logger = LogFactory.getLog(Topology.class);

	private final DataSourceNode node;

	private NodeState state;

	private String reason;

	private boolean writable;

	private volatile @Nullable Duration lag;

	private volatile @Nullable GtidPosition position;

	/** Times the node went down; read without the lock by probes as they begin. */
	private volatile long downs;

	/** Set while the node is out of rotation because it stopped answering. */
	private volatile @Nullable Duration notAnswering;

	private Instant since;

	/** Set while a replica added at run time waits to be caught up: the largest lag at which it joins. */
	private @Nullable Duration catchUpLag;

	/** What an operator decided; the monitor's reports never change it. */
	private AdministrativeState administrativeState = AdministrativeState.ACTIVE;

	private NodeEntry(DataSourceNode node, NodeState state, String reason, boolean writable, Instant since) {
		this.node = node;
		this.state = state;
		this.reason = reason;
		this.writable = writable;
		this.since = since;
	}

	/** A configured node before the monitor has looked: up, and writable if it is assumed to take the writes. */
	static NodeEntry configured(DataSourceNode node, boolean assumedWriter, Instant now) {
		return new NodeEntry(node, NodeState.UP, "not checked yet", assumedWriter, now);
	}

	/** A replica added at run time: out of rotation until the monitor finds it within {@code catchUpLag}. */
	static NodeEntry joining(DataSourceNode replica, Duration catchUpLag, Instant now) {
		NodeEntry entry = new NodeEntry(replica, NodeState.LAGGING, "joining: not checked yet", false, now);
		entry.catchUpLag = catchUpLag;
		return entry;
	}

	DataSourceNode node() {
		return this.node;
	}

	NodeState state() {
		return this.state;
	}

	AdministrativeState administrativeState() {
		return this.administrativeState;
	}

	void setAdministrativeState(AdministrativeState administrativeState) {
		this.administrativeState = administrativeState;
	}

	@Nullable Duration lag() {
		return this.lag;
	}

	@Nullable GtidPosition position() {
		return this.position;
	}

	long downs() {
		return this.downs;
	}

	@Nullable Duration notAnswering() {
		return this.notAnswering;
	}

	boolean mayServeReads() {
		return this.state == NodeState.UP && this.administrativeState == AdministrativeState.ACTIVE;
	}

	boolean mayTakeWrites() {
		return this.state == NodeState.UP && this.writable && this.administrativeState == AdministrativeState.ACTIVE;
	}

	/** Whether a probe that began at {@code downsAtStart} is older than the node's going down, so to be set aside. */
	boolean isOlderThanLastDown(long downsAtStart) {
		return this.downs != downsAtStart && this.state == NodeState.DOWN;
	}

	/**
	 * Take the node down.
	 * @return the state it left, or {@code null} if it was down already (nothing changed)
	 */
	@Nullable NodeState markDown(String reason, Instant now) {
		if (this.state == NodeState.DOWN) {
			return null;
		}
		NodeState previous = this.state;
		this.downs++;
		change(NodeState.DOWN, reason, now);
		return previous;
	}

	/** The node stopped answering for {@code waited}: remembered until it answers again. */
	void markNotAnswering(Duration waited, String reason) {
		this.notAnswering = waited;
		if (this.state == NodeState.DOWN) {
			this.reason = reason;
		}
	}

	/**
	 * Record what a probe that reached the node found, and the state that follows from it: a replica behind by more
	 * than {@code maxLag} (or not replicating) is lagging; one added at run time stays out, joining, until its lag is
	 * measured and at most its catch-up lag.
	 * @return whether the node's writability changed (the caller then recomputes the writer even if the state did
	 * not change)
	 */
	boolean recordReachable(boolean writable, @Nullable Duration lag, @Nullable Duration maxLag,
			@Nullable GtidPosition position, Instant now) {
		this.lag = lag;
		this.position = position;
		boolean writableChanged = this.writable != writable;
		this.writable = writable;
		this.notAnswering = null;
		NodeState state = NodeState.UP;
		String reason = "reachable";
		if (this.node.getRole() == NodeRole.REPLICA && lag != null && maxLag != null && lag.compareTo(maxLag) > 0) {
			state = NodeState.LAGGING;
			reason = (lag == NodeStatus.STOPPED) ? "replication is stopped"
					: "behind by " + lag.toMillis() + " ms (max-replication-lag " + maxLag.toMillis() + " ms)";
		}
		Duration catchUpLag = this.catchUpLag;
		if (catchUpLag != null) {
			if (lag != null && lag != NodeStatus.STOPPED && lag.compareTo(catchUpLag) <= 0 && state == NodeState.UP) {
				this.catchUpLag = null;
				logger.info("Replica '" + this.node.getName() + "' has caught up (behind by " + lag.toMillis()
						+ " ms) and joins the rotation");
			}
			else {
				state = NodeState.LAGGING;
				reason = "joining: " + ((lag == null) ? "lag not measured yet"
						: (lag == NodeStatus.STOPPED) ? "replication is stopped"
								: "catching up, behind by " + lag.toMillis() + " ms")
						+ " (joins at " + catchUpLag.toMillis() + " ms or less)";
			}
		}
		else if (this.node.getRole() != NodeRole.REPLICA) {
			reason = writable ? "reachable, writable" : "reachable, read-only";
		}
		if (this.state != state) {
			change(state, reason, now);
		}
		else {
			this.reason = reason;
		}
		return writableChanged;
	}

	/**
	 * Reached, but its database cannot be asked about read_only or replication: a replica added at run time joins
	 * without waiting to catch up, since its lag cannot be measured.
	 */
	void stopWaitingToCatchUp() {
		this.catchUpLag = null;
	}

	/** Replace the reason without changing the state. */
	void explain(String reason) {
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

	NodeStatus toStatus(boolean isWriter) {
		GtidPosition position = this.position;
		return new NodeStatus(this.node.getName(), this.node.getRole(), this.state, this.reason, this.writable,
				isWriter, this.lag, (position != null) ? position.toString() : null, this.since,
				this.administrativeState);
	}

	private void change(NodeState state, String reason, Instant since) {
		this.state = state;
		this.reason = reason;
		this.since = since;
	}

}
