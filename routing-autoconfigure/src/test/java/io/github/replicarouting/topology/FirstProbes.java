package io.github.replicarouting.topology;

import java.time.Duration;
import java.util.List;

/**
 * Waits for the monitor's first round. That round starts with the application but runs on the monitor's own threads,
 * so on a slow machine a test can get past startup before it ends: a test that changes the cluster and expects the
 * monitor not to have looked (because its interval is long) must wait for it first, or the late first round sees the
 * change half made.
 */
public final class FirstProbes {

	private FirstProbes() {
	}

	/**
	 * Wait until every node of the topology has been probed once.
	 * @param topology the topology whose monitor runs
	 * @return the statuses then
	 * @throws AssertionError if some node is still unchecked after 10 seconds
	 */
	public static List<NodeStatus> await(Topology topology) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			List<NodeStatus> statuses = topology.getStatuses();
			if (statuses.stream().noneMatch(FirstProbes::unchecked)) {
				return statuses;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for the monitor's first round", ex);
			}
		}
		throw new AssertionError("The monitor has not probed every node in 10 s: " + topology.getStatuses());
	}

	private static boolean unchecked(NodeStatus status) {
		return status.reason().equals("not checked yet");
	}

}
