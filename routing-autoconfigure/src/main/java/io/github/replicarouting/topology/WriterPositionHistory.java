package io.github.replicarouting.topology;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

import io.github.replicarouting.database.GtidPosition;
import org.jspecify.annotations.Nullable;

/**
 * The writer's GTID position as sampled by the monitor, with the time each new position was first seen. A replica's
 * lag is how long ago the writer first had a transaction the replica still lacks: a measure that needs no heartbeat
 * table and no privilege, precise to one check interval.
 */
final class WriterPositionHistory {

	private final int capacity;

	private final ArrayDeque<Sample> samples = new ArrayDeque<>();

	WriterPositionHistory(int capacity) {
		this.capacity = capacity;
	}

	synchronized void record(GtidPosition position, long nanoTime) {
		Sample last = this.samples.peekLast();
		if (last != null && last.position().equals(position)) {
			return;
		}
		this.samples.addLast(new Sample(position, nanoTime));
		while (this.samples.size() > this.capacity) {
			this.samples.removeFirst();
		}
	}

	synchronized @Nullable GtidPosition latest() {
		Sample last = this.samples.peekLast();
		return (last != null) ? last.position() : null;
	}

	/**
	 * How far behind the writer a node at {@code position} is.
	 * @return the lag, zero when caught up, {@code null} when the writer's position is unknown
	 */
	synchronized @Nullable Duration lagOf(GtidPosition position, long nowNanos) {
		if (this.samples.isEmpty()) {
			return null;
		}
		if (position.includes(this.samples.peekLast().position())) {
			return Duration.ZERO;
		}
		// The oldest writer position the node has not reached yet: it has been missing since then.
		Sample oldestMissing = this.samples.peekLast();
		for (Iterator<Sample> it = this.samples.descendingIterator(); it.hasNext();) {
			Sample sample = it.next();
			if (position.includes(sample.position())) {
				break;
			}
			oldestMissing = sample;
		}
		return Duration.ofNanos(Math.max(0, nowNanos - oldestMissing.nanoTime()));
	}

	private record Sample(GtidPosition position, long nanoTime) {
	}

}
