package io.github.replicarouting.sample.dashboard;

import java.util.function.BiConsumer;

import io.github.replicarouting.test.ReplicationCluster;
import org.jspecify.annotations.Nullable;

/**
 * A fault the live page can cause on a node of the embedded cluster, by its name in the URL.
 */
enum NodeFault {

	FREEZE("freeze", "Froze", ReplicationCluster::freezeNode),

	THAW("thaw", "Thawed", ReplicationCluster::thawNode),

	KILL("kill", "Killed", ReplicationCluster::killNode),

	START("start", "Started", ReplicationCluster::startNode),

	PAUSE_REPLICATION("pause-replication", "Paused replication on", ReplicationCluster::pauseReplication),

	RESUME_REPLICATION("resume-replication", "Resumed replication on", ReplicationCluster::resumeReplication);

	private final String pathName;

	private final String done;

	private final BiConsumer<ReplicationCluster, String> action;

	NodeFault(String pathName, String done, BiConsumer<ReplicationCluster, String> action) {
		this.pathName = pathName;
		this.done = done;
		this.action = action;
	}

	/**
	 * Cause the fault.
	 * @param cluster the embedded cluster
	 * @param node the node name
	 * @return what was done, for people
	 */
	String applyTo(ReplicationCluster cluster, String node) {
		this.action.accept(cluster, node);
		return this.done + " '" + node + "'";
	}

	static @Nullable NodeFault named(String pathName) {
		for (NodeFault fault : values()) {
			if (fault.pathName.equals(pathName)) {
				return fault;
			}
		}
		return null;
	}

	static String pathNames() {
		StringBuilder names = new StringBuilder();
		for (NodeFault fault : values()) {
			names.append((names.isEmpty()) ? "" : ", ").append(fault.pathName);
		}
		return names.toString();
	}

}
