package io.github.replicarouting.topology;

import java.time.Duration;

import io.github.replicarouting.database.GtidPosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriterPositionHistoryTests {

	private static final long SECOND = 1_000_000_000L;

	private final WriterPositionHistory history = new WriterPositionHistory(8);

	@Test
	void unknownUntilTheWriterWasSampled() {
		assertThat(this.history.lagOf(position(1), 0)).isNull();
	}

	@Test
	void caughtUpReplicaHasNoLag() {
		this.history.record(position(5), 0);
		assertThat(this.history.lagOf(position(5), 10 * SECOND)).isEqualTo(Duration.ZERO);
		assertThat(this.history.lagOf(position(6), 10 * SECOND)).isEqualTo(Duration.ZERO);
	}

	@Test
	void lagIsTheAgeOfTheOldestWriterPositionTheReplicaLacks() {
		this.history.record(position(1), 0);
		this.history.record(position(2), 1 * SECOND);
		this.history.record(position(3), 2 * SECOND);
		this.history.record(position(4), 3 * SECOND);
		assertThat(this.history.lagOf(position(2), 5 * SECOND)).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.history.lagOf(position(3), 5 * SECOND)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.history.lagOf(position(0), 5 * SECOND)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void unchangedWriterPositionKeepsTheTimeItWasFirstSeen() {
		this.history.record(position(1), 0);
		this.history.record(position(2), 1 * SECOND);
		this.history.record(position(2), 2 * SECOND);
		this.history.record(position(2), 3 * SECOND);
		assertThat(this.history.lagOf(position(1), 4 * SECOND)).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void replicaBehindEveryKeptSampleIsAtLeastAsOldAsTheOldest() {
		for (int i = 1; i <= 20; i++) {
			this.history.record(position(i), i * SECOND);
		}
		assertThat(this.history.lagOf(position(0), 21 * SECOND)).isEqualTo(Duration.ofSeconds(8));
	}

	@Test
	void mySqlReplicaWithAGapLacksTheMissingTransaction() {
		String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
		this.history.record(GtidPosition.parseMySql(uuid + ":1-5"), 0);
		this.history.record(GtidPosition.parseMySql(uuid + ":1-9"), 1 * SECOND);
		// It has 7-9 but not 6, which the writer had since the second sample.
		assertThat(this.history.lagOf(GtidPosition.parseMySql(uuid + ":1-5:7-9"), 3 * SECOND))
			.isEqualTo(Duration.ofSeconds(2));
	}

	private static GtidPosition position(long sequence) {
		return GtidPosition.parseMariaDb("0-1-" + sequence);
	}

}
