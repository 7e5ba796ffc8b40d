package io.github.replicarouting.sample.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes per node over the last minute, one bucket per second: fed the running totals once a second, it
 * keeps the difference from the previous feed in a ring of {@value #BUCKETS} buckets per node.
 */
final class TrafficHistory {

	/** One bucket per second for a minute. */
	static final int BUCKETS = 60;

	private final Map<String, Series> series = new LinkedHashMap<>();

	/** Slot of the newest bucket; every node's ring advances together, so one index serves all. */
	private int newest = BUCKETS - 1;

	/**
	 * Close the current second: each node's traffic since the previous call becomes its newest bucket.
	 * @param totals node name to {reads, writes} served since startup
	 */
	synchronized void record(Map<String, long[]> totals) {
		this.newest = (this.newest + 1) % BUCKETS;
		for (Series nodeSeries : this.series.values()) {
			nodeSeries.reads[this.newest] = 0;
			nodeSeries.writes[this.newest] = 0;
		}
		totals.forEach((node, total) -> {
			Series nodeSeries = this.series.get(node);
			if (nodeSeries == null) {
				// A node's first total counts from startup, not from the last second: start from it instead.
				this.series.put(node, new Series(total));
				return;
			}
			nodeSeries.reads[this.newest] = Math.max(0, total[0] - nodeSeries.lastReads);
			nodeSeries.writes[this.newest] = Math.max(0, total[1] - nodeSeries.lastWrites);
			nodeSeries.lastReads = total[0];
			nodeSeries.lastWrites = total[1];
		});
	}

	/**
	 * A node's last minute, oldest second first; zeros for seconds before it was first seen.
	 * @param node the node name
	 * @return {@value #BUCKETS} reads and {@value #BUCKETS} writes
	 */
	synchronized Minute lastMinute(String node) {
		Series nodeSeries = this.series.get(node);
		List<Long> reads = new ArrayList<>(BUCKETS);
		List<Long> writes = new ArrayList<>(BUCKETS);
		for (int i = 1; i <= BUCKETS; i++) {
			int slot = (this.newest + i) % BUCKETS;
			reads.add((nodeSeries != null) ? nodeSeries.reads[slot] : 0L);
			writes.add((nodeSeries != null) ? nodeSeries.writes[slot] : 0L);
		}
		return new Minute(reads, writes);
	}

	/**
	 * A node's traffic per second over the last minute, oldest first.
	 *
	 * @param reads reads per second
	 * @param writes writes per second
	 */
	record Minute(List<Long> reads, List<Long> writes) {
	}

	private static final class Series {

		private final long[] reads = new long[BUCKETS];

		private final long[] writes = new long[BUCKETS];

		private long lastReads;

		private long lastWrites;

		private Series(long[] total) {
			this.lastReads = total[0];
			this.lastWrites = total[1];
		}

	}

}
