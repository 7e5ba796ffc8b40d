package io.github.replicarouting.sample.dashboard;

import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last minute's traffic: per second differences of running totals, in a ring of sixty, oldest first.
 */
class TrafficHistoryTests {

	private final TrafficHistory history = new TrafficHistory();

	@Test
	void unknownNodeHasSixtyEmptyBuckets() {
		TrafficHistory.Minute minute = this.history.lastMinute("replica-1");
		assertThat(minute.reads()).hasSize(60).containsOnly(0L);
		assertThat(minute.writes()).hasSize(60).containsOnly(0L);
	}

	@Test
	void bucketsHoldTheTrafficOfEachSecondNewestLast() {
		this.history.record(Map.of("replica-1", new long[] { 100, 7 }));
		this.history.record(Map.of("replica-1", new long[] { 103, 7 }));
		this.history.record(Map.of("replica-1", new long[] { 110, 9 }));
		TrafficHistory.Minute minute = this.history.lastMinute("replica-1");
		// The first total is what the node served since startup, not in a second: it is the baseline only.
		assertThat(minute.reads()).hasSize(60).endsWith(0L, 0L, 3L, 7L);
		assertThat(minute.writes()).hasSize(60).endsWith(0L, 0L, 0L, 2L);
		assertThat(minute.reads().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
	}

	@Test
	void secondsOlderThanAMinuteAreForgotten() {
		this.history.record(Map.of("replica-1", new long[] { 0, 0 }));
		this.history.record(Map.of("replica-1", new long[] { 5, 0 }));
		for (int second = 0; second < 59; second++) {
			this.history.record(Map.of("replica-1", new long[] { 5, 0 }));
		}
		assertThat(this.history.lastMinute("replica-1").reads()).startsWith(5L).hasSize(60);
		this.history.record(Map.of("replica-1", new long[] { 5, 0 }));
		assertThat(this.history.lastMinute("replica-1").reads()).containsOnly(0L);
	}

	@Test
	void aNodeMissingFromASecondGetsAnEmptyBucket() {
		this.history.record(Map.of("replica-1", new long[] { 0, 0 }));
		this.history.record(Map.of("replica-1", new long[] { 4, 0 }));
		this.history.record(Collections.emptyMap());
		assertThat(this.history.lastMinute("replica-1").reads()).endsWith(4L, 0L);
	}

}
