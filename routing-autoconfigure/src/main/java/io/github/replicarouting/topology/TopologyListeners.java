package io.github.replicarouting.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@link TopologyListener}s of one {@link Topology}, and how they are told: each in turn, a listener that throws
 * is logged and does not stop the others (nor the change that is being told).
 */
final class TopologyListeners {

	private static final Log logger = LogFactory.getLog(Topology.class);

	// An array, replaced on change, so that telling listeners takes no lock and allocates no iterator.
	private volatile TopologyListener[] listeners = new TopologyListener[0];

	synchronized void add(TopologyListener listener) {
		TopologyListener[] current = this.listeners;
		TopologyListener[] more = Arrays.copyOf(current, current.length + 1);
		more[current.length] = listener;
		this.listeners = more;
	}

	synchronized void remove(TopologyListener listener) {
		List<TopologyListener> remaining = new ArrayList<>(List.of(this.listeners));
		remaining.remove(listener);
		this.listeners = remaining.toArray(new TopologyListener[0]);
	}

	void nodeAdded(DataSourceNode node) {
		tell((listener) -> listener.nodeAdded(node));
	}

	void nodeRemoved(DataSourceNode node) {
		tell((listener) -> listener.nodeRemoved(node));
	}

	void nodeStateChanged(DataSourceNode node, NodeState previous, NodeState current) {
		tell((listener) -> listener.nodeStateChanged(node, previous, current));
	}

	void writerCheckRequested() {
		tell(TopologyListener::writerCheckRequested);
	}

	private void tell(Consumer<TopologyListener> event) {
		for (TopologyListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("TopologyListener " + listener + " failed", ex);
			}
		}
	}

}
