package io.github.replicarouting.it;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row per node with the node's own name, written on each node outside replication: reading it tells which node
 * answered.
 */
@Entity
@Table(name = "node_marker")
class NodeMarker {

	@Id
	private Long id;

	private String node;

	protected NodeMarker() {
	}

	String getNode() {
		return this.node;
	}

}
