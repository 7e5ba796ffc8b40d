package io.github.replicarouting.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.database.GtidPosition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The nodes behind the router and their current state: which replicas may serve reads and which node takes writes.
 *
 * <p>The router reads {@link #eligibleReplicas()} and {@link #writer()} on every connection; both are precomputed
 * whenever a state changes, so reading them costs a volatile read. States change when the router cannot get a
 * connection from a node ({@link #reportConnectionFailure}) and when the {@link TopologyMonitor} probes the nodes.
 * An operator's decision ({@link #setAdministrativeState}) is kept apart and never changed by the monitor: a node is
 * given work only when both allow it.
 * Every change is logged once (WARN when a node leaves, INFO when it comes back) and told to each
 * {@link TopologyListener}; the monitor is one, and checks the writers when {@link #requestWriterCheck() asked}.
 *
 * <p>Each node's state and the rules of its transitions are a {@link NodeEntry}; the listeners and how they are told
 * are {@link TopologyListeners}. Still over 250 lines because it is the one place node state changes, under one
 * lock: the monitor's and the router's reports, an operator's states and weights, and replicas joining
 * ({@link #addReplica}) and leaving ({@link #removeReplica}), each followed by the publication of
 * {@link #eligibleReplicas()} and {@link #writer()} and one log line.
 *
 * @since 0.1.0
 */
public final class Topology {

	private static final Log logger = LogFactory.getLog(Topology.class);

	private final List<DataSourceNode> writerCandidates;

	// Replaced, never changed in place, under the lock when replicas are added or removed at run time, so that the
	// router and the monitor read both without the lock.
	private volatile List<DataSourceNode> replicas;

	private volatile Map<String, NodeEntry> entries = Map.of();

	private final Clock clock;

	private volatile List<DataSourceNode> eligibleReplicas;

	private volatile @Nullable DataSourceNode writer;

	private final TopologyListeners listeners = new TopologyListeners();

	/**
	 * Create a topology in which every node starts up and the primary takes writes.
	 * @param primary the configured primary
	 * @param standbys failover candidates for writes, in order
	 * @param replicas the read replicas, in order
	 */
	public Topology(DataSourceNode primary, List<DataSourceNode> standbys, List<DataSourceNode> replicas) {
		this(primary, standbys, replicas, Clock.systemUTC());
	}

	Topology(DataSourceNode primary, List<DataSourceNode> standbys, List<DataSourceNode> replicas, Clock clock) {
		this.clock = clock;
		List<DataSourceNode> candidates = new ArrayList<>();
		candidates.add(primary);
		candidates.addAll(standbys);
		this.writerCandidates = List.copyOf(candidates);
		this.replicas = List.copyOf(replicas);
		Instant now = clock.instant();
		Map<String, NodeEntry> entries = new LinkedHashMap<>();
		for (DataSourceNode node : this.writerCandidates) {
			// Until the monitor has looked, assume the configured primary is the writer and standbys are not.
			entries.put(node.getName(), NodeEntry.configured(node, node == primary, now));
		}
		for (DataSourceNode node : this.replicas) {
			if (entries.put(node.getName(), NodeEntry.configured(node, false, now)) != null) {
				throw new IllegalArgumentException("Two nodes are named '" + node.getName() + "'");
			}
		}
		this.entries = java.util.Collections.unmodifiableMap(entries);
		this.eligibleReplicas = this.replicas;
		this.writer = primary;
	}

	/**
	 * The configured primary.
	 * @return the primary
	 */
	public DataSourceNode getPrimary() {
		return this.writerCandidates.get(0);
	}

	/**
	 * The configured standbys, in order.
	 * @return the standbys, possibly empty
	 */
	public List<DataSourceNode> getStandbys() {
		return this.writerCandidates.subList(1, this.writerCandidates.size());
	}

	/**
	 * The replicas, in order (configured ones first, then those added at run time), whatever their state.
	 * @return the replicas, possibly empty; an unmodifiable list that replicas added or removed later do not change
	 */
	public List<DataSourceNode> getReplicas() {
		return this.replicas;
	}

	/**
	 * Every node: primary, standbys, replicas.
	 * @return the nodes
	 */
	public List<DataSourceNode> getNodes() {
		List<DataSourceNode> nodes = new ArrayList<>(this.writerCandidates);
		nodes.addAll(this.replicas);
		return nodes;
	}

	/**
	 * The replicas that may serve reads now (up, not lagging, and {@link AdministrativeState#ACTIVE active}), in
	 * configured order.
	 * @return the eligible replicas, possibly empty; the same list instance until a state changes
	 */
	public List<DataSourceNode> eligibleReplicas() {
		return this.eligibleReplicas;
	}

	/**
	 * The node that takes writes now: the first of primary and standbys that is up and writable.
	 * @return the writer, or {@code null} while no writable node is known
	 */
	public @Nullable DataSourceNode writer() {
		return this.writer;
	}

	/**
	 * The node's GTID position as last seen by the monitor (for a replica: what it has applied).
	 * @param node the node
	 * @return the position, or {@code null} if not known
	 */
	public @Nullable GtidPosition positionOf(DataSourceNode node) {
		NodeEntry entry = find(node);
		return (entry != null) ? entry.position() : null;
	}

	/**
	 * A replica's lag as last measured by the monitor, without taking the topology's lock (read on every causal read).
	 * @param node the node
	 * @return the lag, {@link NodeStatus#STOPPED} if not replicating, or {@code null} if not known
	 */
	public @Nullable Duration lagOf(DataSourceNode node) {
		NodeEntry entry = find(node);
		return (entry != null) ? entry.lag() : null;
	}

	/**
	 * What is known about every node.
	 * @return one status per node, primary first, then standbys, then replicas
	 */
	public synchronized List<NodeStatus> getStatuses() {
		List<NodeStatus> statuses = new ArrayList<>(this.entries.size());
		for (NodeEntry entry : this.entries.values()) {
			statuses.add(entry.toStatus(entry.node() == this.writer));
		}
		return statuses;
	}

	/**
	 * What is known about one node.
	 * @param name the node name
	 * @return the status
	 */
	public synchronized NodeStatus getStatus(String name) {
		NodeEntry entry = this.entries.get(name);
		if (entry == null) {
			throw new IllegalArgumentException("No node named '" + name + "'");
		}
		return entry.toStatus(entry.node() == this.writer);
	}

	/**
	 * What is known about one node, if it is part of the topology.
	 * @param name the node name
	 * @return the status, or {@code null} if there is no such node (for example a replica removed meanwhile)
	 */
	public synchronized @Nullable NodeStatus findStatus(String name) {
		NodeEntry entry = this.entries.get(name);
		return (entry != null) ? entry.toStatus(entry.node() == this.writer) : null;
	}

	/**
	 * The node of that name.
	 * @param name the node name
	 * @return the node
	 * @throws IllegalArgumentException if there is no such node, naming the nodes there are
	 */
	public synchronized DataSourceNode getNode(String name) {
		return entryNamed(name).node();
	}

	/**
	 * An operator takes a node out of rotation ({@link AdministrativeState#DRAIN DRAIN},
	 * {@link AdministrativeState#MAINTENANCE MAINTENANCE}) or gives it back to the monitor
	 * ({@link AdministrativeState#ACTIVE ACTIVE}). Logged once at WARN with who asked. Changes only this instance:
	 * every application instance has its own topology.
	 * @param name the node name
	 * @param state the new administrative state
	 * @param requestedBy who asked, for the log (a user name, or e.g. {@code "the application"})
	 * @return what changed, for people
	 * @throws IllegalArgumentException if there is no such node
	 * @throws IllegalStateException if the node takes the writes and no other writer candidate is writable: writes
	 * would have nowhere to go (nothing is changed)
	 */
	public String setAdministrativeState(String name, AdministrativeState state, String requestedBy) {
		DataSourceNode node;
		AdministrativeState previous;
		synchronized (this) {
			NodeEntry entry = entryNamed(name);
			node = entry.node();
			previous = entry.administrativeState();
			if (previous == state) {
				return "Node '" + name + "' is already " + state + "; nothing changed";
			}
			if (state != AdministrativeState.ACTIVE && node == this.writer && !hasOtherWritableCandidate(node)) {
				throw new IllegalStateException("Node '" + name + "' takes the writes and no standby is writable: "
						+ "taking it out (" + state + ") would leave writes nowhere to go. Nothing was changed. "
						+ "Make a standby writable (read_only=0) first, then " + state + " '" + name + "'.");
			}
			entry.setAdministrativeState(state);
			recompute();
		}
		String change = "Node '" + name + "' " + previous + " -> " + state + describeEffect(state);
		logger.warn(change + " (requested by " + requestedBy + ")");
		// Outside the lock: evicting and aborting call into the pools.
		if (state == AdministrativeState.ACTIVE) {
			node.resumePools();
		}
		else {
			node.emptyPools();
			if (state == AdministrativeState.MAINTENANCE) {
				node.abortConnections();
			}
		}
		return change;
	}

	private static String describeEffect(AdministrativeState state) {
		return switch (state) {
			case ACTIVE -> ": back to what the monitor says";
			case DRAIN -> ": no new connections; in-flight work finishes, then its connections close";
			case MAINTENANCE -> ": out of rotation now, its connections closed; the monitor keeps probing it";
		};
	}

	private boolean hasOtherWritableCandidate(DataSourceNode node) {
		for (DataSourceNode candidate : this.writerCandidates) {
			if (candidate != node && entry(candidate).mayTakeWrites()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An operator changes a node's share of reads under weighted load balancing. Logged once at WARN with who asked.
	 * Changes only this instance.
	 * @param name the node name
	 * @param weight the new weight, at least 1
	 * @param requestedBy who asked, for the log
	 * @return what changed, for people
	 * @throws IllegalArgumentException if there is no such node or the weight is below 1 (nothing is changed)
	 */
	public String setWeight(String name, int weight, String requestedBy) {
		DataSourceNode node = getNode(name);
		if (weight < 1) {
			throw new IllegalArgumentException("Weight " + weight + " for node '" + name + "' is below 1; nothing was "
					+ "changed. Give a weight of 1 or more, or DRAIN the node to send it no reads.");
		}
		int previous = node.getWeight();
		node.setWeight(weight);
		String change = "Node '" + name + "' weight " + previous + " -> " + weight;
		logger.warn(change + " (requested by " + requestedBy + ")");
		return change;
	}

	private NodeEntry entryNamed(String name) {
		NodeEntry entry = this.entries.get(name);
		if (entry == null) {
			throw new IllegalArgumentException("No node named '" + name + "'; the nodes are " + this.entries.keySet());
		}
		return entry;
	}

	/**
	 * Add a replica at run time. It starts out of rotation, {@link NodeState#LAGGING joining}, and enters the rotation
	 * once the monitor has reached it and found it caught up: its lag measured and at most {@code catchUpLag}. Told to
	 * every {@link TopologyListener} ({@link TopologyListener#nodeAdded}; the monitor starts probing it), logged once
	 * at WARN with who asked. Changes only this instance. The caller owns the node's pools until it is added; then
	 * {@code RoutingDataSource#close()} closes them with the others, or whoever {@link #removeReplica removes} it.
	 * @param replica the replica, with its pool
	 * @param catchUpLag the largest lag at which it may join the rotation
	 * @param requestedBy who asked, for the log
	 * @return what changed, for people
	 * @throws IllegalArgumentException if a node of that name exists or the node is not a replica (nothing changed)
	 */
	public String addReplica(DataSourceNode replica, Duration catchUpLag, String requestedBy) {
		if (replica.getRole() != NodeRole.REPLICA) {
			throw new IllegalArgumentException("Node '" + replica.getName() + "' is a " + replica.getRole()
					+ ", not a replica: only replicas are added at run time. Nothing was changed.");
		}
		synchronized (this) {
			if (this.entries.containsKey(replica.getName())) {
				throw new IllegalArgumentException("A node named '" + replica.getName() + "' exists already; the "
						+ "nodes are " + this.entries.keySet() + ". Nothing was changed. Choose another name, or "
						+ "remove '" + replica.getName() + "' first.");
			}
			Map<String, NodeEntry> entries = new LinkedHashMap<>(this.entries);
			entries.put(replica.getName(), NodeEntry.joining(replica, catchUpLag, this.clock.instant()));
			this.entries = java.util.Collections.unmodifiableMap(entries);
			List<DataSourceNode> replicas = new ArrayList<>(this.replicas);
			replicas.add(replica);
			this.replicas = List.copyOf(replicas);
			recompute();
		}
		String change = "Replica '" + replica.getName() + "' added: it joins the rotation once the monitor finds it "
				+ "caught up (lag at most " + catchUpLag.toMillis() + " ms)";
		logger.warn(change + " (requested by " + requestedBy + ")");
		this.listeners.nodeAdded(replica);
		return change;
	}

	/**
	 * Remove a replica at run time: out of rotation at once and forgotten by the topology (listeners are told with
	 * {@link TopologyListener#nodeRemoved}; the monitor stops probing it). Reads already on it finish: closing its pool
	 * is the caller's, once they have (see {@link DataSourceNode#getActiveConnections()}). Logged once at WARN with
	 * who asked; changes only this instance.
	 * @param name the replica's name
	 * @param requestedBy who asked, for the log
	 * @return the replica removed, whose pools the caller now owns
	 * @throws IllegalArgumentException if there is no node of that name, or it is not a replica (nothing changed)
	 */
	public DataSourceNode removeReplica(String name, String requestedBy) {
		DataSourceNode replica;
		synchronized (this) {
			replica = entryNamed(name).node();
			if (replica.getRole() != NodeRole.REPLICA) {
				throw new IllegalArgumentException("Node '" + name + "' is the " + replica.getRole().name()
					.toLowerCase(java.util.Locale.ROOT) + ", not a replica: only replicas can be removed at run time. "
						+ "Nothing was changed.");
			}
			Map<String, NodeEntry> entries = new LinkedHashMap<>(this.entries);
			entries.remove(name);
			this.entries = java.util.Collections.unmodifiableMap(entries);
			List<DataSourceNode> replicas = new ArrayList<>(this.replicas);
			replicas.remove(replica);
			this.replicas = List.copyOf(replicas);
			recompute();
		}
		logger.warn("Replica '" + name + "' removed: out of rotation, reads in flight on it finish (requested by "
				+ requestedBy + ")");
		this.listeners.nodeRemoved(replica);
		return replica;
	}

	/**
	 * Tell a listener about changes from now on.
	 * @param listener the listener
	 */
	public void addListener(TopologyListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Stop telling a listener about changes.
	 * @param listener the listener
	 */
	public void removeListener(TopologyListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * The writer refused a write as read-only (a switchover has begun), or no writer is known: have the writer
	 * candidates checked now rather than at the next interval, so that writes follow sooner. Tells every
	 * {@link TopologyListener}; does not wait for the check.
	 */
	public void requestWriterCheck() {
		this.listeners.writerCheckRequested();
	}

	/**
	 * The router could not get a connection from a node: take it out of rotation until the monitor reaches it again.
	 * @param node the node
	 * @param failure what went wrong
	 */
	public void reportConnectionFailure(DataSourceNode node, Throwable failure) {
		markDown(node, "connection failed: " + describe(failure));
	}

	/**
	 * Take a node out of rotation.
	 * @param node the node
	 * @param reason why, for people
	 */
	public synchronized void markDown(DataSourceNode node, String reason) {
		NodeEntry entry = find(node);
		if (entry == null) {
			// Removed meanwhile (a read or probe still running on it when it was removed): nothing to take out.
			return;
		}
		NodeState previous = entry.markDown(reason, this.clock.instant());
		if (previous != null) {
			logger.warn("Node '" + node.getName() + "' is down and out of rotation: " + reason);
			recompute();
			this.listeners.nodeStateChanged(node, previous, NodeState.DOWN);
			// Its pooled connections are most likely broken too: do not hand them out when it comes back.
			node.evictConnections();
		}
	}

	/**
	 * The monitor reached a node; record what it found. Public for monitors of your own.
	 * @param node the node
	 * @param writable for primary and standbys, whether it accepts writes
	 * @param lag for replicas, how far behind the writer it is ({@code null} if unknown, {@link NodeStatus#STOPPED}
	 * if not replicating)
	 * @param maxLag the largest acceptable lag, or {@code null} for no limit
	 * @param position the node's GTID position, if known
	 */
	public synchronized void reportReachable(DataSourceNode node, boolean writable, @Nullable Duration lag,
			@Nullable Duration maxLag, @Nullable GtidPosition position) {
		reportReachable(node, writable, lag, maxLag, position, downsOf(node));
	}

	/**
	 * How many times a node has been taken out of rotation as down: a probe reads it when it begins, so that what it
	 * found can be set aside if the node was found down meanwhile.
	 * @param node the node
	 * @return a number that changes whenever the node goes down
	 */
	public long downsOf(DataSourceNode node) {
		NodeEntry entry = find(node);
		return (entry != null) ? entry.downs() : -1;
	}

	/**
	 * Like {@link #reportReachable(DataSourceNode, boolean, Duration, Duration, GtidPosition)}, for a probe that began
	 * when {@link #downsOf} said {@code downsAtStart}: if the router found the node down while the probe ran, the
	 * probe's older answer does not bring it back (the next probe, which checks its pool again, will).
	 * @param node the node
	 * @param writable for primary and standbys, whether it accepts writes
	 * @param lag for replicas, how far behind the writer it is
	 * @param maxLag the largest acceptable lag, or {@code null} for no limit
	 * @param position the node's GTID position, if known
	 * @param downsAtStart what {@link #downsOf} said when the probe began
	 */
	public synchronized void reportReachable(DataSourceNode node, boolean writable, @Nullable Duration lag,
			@Nullable Duration maxLag, @Nullable GtidPosition position, long downsAtStart) {
		NodeEntry entry = find(node);
		if (entry == null || entry.isOlderThanLastDown(downsAtStart)) {
			// Removed meanwhile, or found down while the probe ran.
			return;
		}
		NodeState previous = entry.state();
		boolean writableChanged = entry.recordReachable(writable, lag, maxLag, position, this.clock.instant());
		if (entry.administrativeState() != AdministrativeState.ACTIVE) {
			// A read that chose the node just before an operator took it out may have had its pool open a new
			// connection after the pool was emptied: close idle ones again at every check while it is held out.
			node.evictConnections();
		}
		NodeState state = entry.state();
		if (state != previous) {
			if (state == NodeState.UP) {
				logger.info("Node '" + node.getName() + "' is back in rotation (was " + previous + ")");
			}
			else {
				logger.warn("Node '" + node.getName() + "' is out of rotation: " + entry.reason());
			}
			recompute();
			this.listeners.nodeStateChanged(node, previous, state);
		}
		else if (writableChanged) {
			recompute();
		}
	}

	/**
	 * The monitor reached a node whose database cannot be asked about read_only or replication. It stays in rotation
	 * with no known lag; only the configured primary counts as writable, because nothing says a standby is.
	 * @param node the node
	 * @param product the database product, for the reason shown in health and the routing endpoint
	 */
	synchronized void reportReachableUnprobed(DataSourceNode node, String product, long downsAtStart) {
		NodeEntry entry = find(node);
		if (entry == null || entry.isOlderThanLastDown(downsAtStart)) {
			return;
		}
		entry.stopWaitingToCatchUp();
		reportReachable(node, node == getPrimary(), null, null, null);
		entry.explain("reachable (read_only and lag are not checked on " + product + ")");
	}

	/**
	 * A node stopped answering: a probe got no reply within {@code waited} (a frozen process, a partition, a paused
	 * VM: the server still accepts TCP connections and answers nothing). Takes it out of rotation like a dead node,
	 * then aborts every connection its pools had opened, so that no thread keeps waiting on it. Public for monitors of
	 * your own.
	 * @param node the node
	 * @param waited how long the probe waited for an answer
	 * @return how many connections were aborted
	 */
	public int reportNotAnswering(DataSourceNode node, Duration waited) {
		String reason = "not answering: no reply to the monitor within " + waited.toMillis() + " ms";
		synchronized (this) {
			NodeEntry entry = find(node);
			if (entry == null) {
				return 0;
			}
			entry.markNotAnswering(waited, reason);
		}
		markDown(node, reason);
		int aborted = node.abortConnections();
		if (aborted > 0) {
			logger.warn("Aborted " + aborted + " connection(s) to '" + node.getName()
					+ "', which stopped answering: the calls that were waiting on them fail now");
		}
		return aborted;
	}

	/**
	 * How long the monitor waited for a node that then counted as not answering, while it is out of rotation for it.
	 * @param node the node
	 * @return the wait, or {@code null} if the node is answering (or down for another reason)
	 */
	public @Nullable Duration notAnsweringFor(DataSourceNode node) {
		NodeEntry entry = find(node);
		return (entry != null) ? entry.notAnswering() : null;
	}

	/**
	 * The monitor could not reach a node.
	 * @param node the node
	 * @param failure what went wrong
	 */
	void reportUnreachable(DataSourceNode node, Throwable failure) {
		markDown(node, "monitor could not reach it: " + describe(failure));
	}

	private void recompute() {
		List<DataSourceNode> eligible = new ArrayList<>(this.replicas.size());
		for (DataSourceNode replica : this.replicas) {
			if (entry(replica).mayServeReads()) {
				eligible.add(replica);
			}
		}
		this.eligibleReplicas = List.copyOf(eligible);
		DataSourceNode newWriter = null;
		for (DataSourceNode candidate : this.writerCandidates) {
			if (entry(candidate).mayTakeWrites()) {
				newWriter = candidate;
				break;
			}
		}
		DataSourceNode oldWriter = this.writer;
		if (newWriter != oldWriter) {
			this.writer = newWriter;
			if (newWriter == null) {
				logger.warn("No writable primary: writes fail until one of " + this.writerCandidates
						+ " is reachable with read_only=0");
			}
			else {
				logger.info("Writes now go to '" + newWriter.getName() + "'"
						+ ((oldWriter != null) ? " (were going to '" + oldWriter.getName() + "')" : ""));
			}
		}
	}

	/** The node's entry, or {@code null} once it has been removed (readers and reports may race with the removal). */
	private @Nullable NodeEntry find(DataSourceNode node) {
		NodeEntry entry = this.entries.get(node.getName());
		return (entry != null && entry.node() == node) ? entry : null;
	}

	private NodeEntry entry(DataSourceNode node) {
		NodeEntry entry = this.entries.get(node.getName());
		if (entry == null || entry.node() != node) {
			throw new IllegalArgumentException("Node '" + node.getName() + "' is not part of this topology");
		}
		return entry;
	}

	static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		// Driver messages may quote a URL: the reason is logged and shown by the actuator, so mask it once, here.
		return Secrets.mask((cause == failure) ? message : failure.getMessage() + " (" + message + ")");
	}

}
