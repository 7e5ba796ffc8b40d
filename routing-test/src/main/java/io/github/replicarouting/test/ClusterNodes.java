package io.github.replicarouting.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The nodes of a cluster by name, in the order they were added (primary, standbys, replicas), and the server ids
 * and replica numbers not used yet.
 */
final class ClusterNodes {

	private final String database;

	/** Replaced, never changed, so that readers need no lock while a replica is added or removed. */
	private volatile Map<String, ClusterNode> byName = Map.of();

	/** Server ids and replica numbers are never reused, so a removed replica cannot be mistaken for a new one. */
	private int nextServerId = 1;

	private int nextReplicaNumber = 1;

	ClusterNodes(String database) {
		this.database = database;
	}

	/**
	 * Add a node with the next server id and a free loopback port.
	 */
	synchronized ClusterNode add(String name, ClusterRole role) {
		ClusterNode node = new ClusterNode(name, this.nextServerId++, freePort(), role, this.database);
		Map<String, ClusterNode> nodes = new LinkedHashMap<>(this.byName);
		nodes.put(name, node);
		this.byName = Collections.unmodifiableMap(nodes);
		return node;
	}

	/**
	 * Add {@code replica-N} with the next unused number.
	 */
	synchronized ClusterNode addReplica() {
		return add("replica-" + this.nextReplicaNumber++, ClusterRole.REPLICA);
	}

	synchronized void remove(String name) {
		Map<String, ClusterNode> nodes = new LinkedHashMap<>(this.byName);
		nodes.remove(name);
		this.byName = Collections.unmodifiableMap(nodes);
	}

	@Nullable ClusterNode find(String name) {
		return this.byName.get(name);
	}

	ClusterNode get(String name) {
		Map<String, ClusterNode> nodes = this.byName;
		ClusterNode node = nodes.get(name);
		if (node == null) {
			throw new IllegalArgumentException("No node named '" + name + "'; nodes are " + nodes.keySet());
		}
		return node;
	}

	Collection<ClusterNode> all() {
		return this.byName.values();
	}

	List<ClusterNode> withRole(ClusterRole role) {
		return all().stream().filter((node) -> node.role() == role).toList();
	}

	/** The primary and the standbys: the nodes others replicate from. */
	List<ClusterNode> masters() {
		return all().stream().filter((node) -> !node.replica()).toList();
	}

	String nameOf(long serverId) {
		return all().stream()
			.filter((node) -> node.serverId() == serverId)
			.map(ClusterNode::name)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No node has server id " + serverId));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

}
