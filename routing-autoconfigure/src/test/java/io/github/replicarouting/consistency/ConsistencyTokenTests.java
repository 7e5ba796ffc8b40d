package io.github.replicarouting.consistency;

import io.github.replicarouting.database.GtidPosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Merging a scope's tokens. A later commit can report an older position: a read-write transaction that wrote
 * nothing, on a connection whose session last wrote long ago, reads that session's old {@code @@last_gtid}. The
 * scope must keep waiting for the newest write it made.
 */
class ConsistencyTokenTests {

	@Test
	void aLaterCommitWithAnOlderMariaDbPositionKeepsTheNewerPosition() {
		ConsistencyToken write = new ConsistencyToken(2_000, "0-1-42", true);
		ConsistencyToken laterCommitOnAnOldSession = new ConsistencyToken(3_000, "0-1-40", true);

		ConsistencyToken merged = laterCommitOnAnOldSession.latest(write);

		assertThat(merged.committedAtMillis()).isEqualTo(3_000);
		assertThat(GtidPosition.parseMariaDb(merged.gtid())).isEqualTo(GtidPosition.parseMariaDb("0-1-42"));
	}

	@Test
	void mariaDbPositionsOfDifferentDomainsAreBothKept() {
		ConsistencyToken first = new ConsistencyToken(2_000, "0-1-42", true);
		ConsistencyToken second = new ConsistencyToken(3_000, "1-2-7", true);

		ConsistencyToken merged = second.latest(first);

		assertThat(GtidPosition.parseMariaDb(merged.gtid()))
			.isEqualTo(GtidPosition.parseMariaDb("0-1-42,1-2-7"));
	}

	@Test
	void aLaterMariaDbPositionReplacesAnOlderOneOfTheSameDomain() {
		ConsistencyToken first = new ConsistencyToken(2_000, "0-1-42", true);
		ConsistencyToken second = new ConsistencyToken(3_000, "0-2-50", true);

		assertThat(second.latest(first).gtid()).isEqualTo("0-2-50");
		assertThat(first.latest(second).gtid()).isEqualTo("0-2-50");
	}

	@Test
	void mySqlPositionsAreUnited() {
		String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
		ConsistencyToken write = new ConsistencyToken(2_000, uuid + ":23", false);
		ConsistencyToken laterCommitOnAnOldSession = new ConsistencyToken(3_000, uuid + ":19", false);

		ConsistencyToken merged = laterCommitOnAnOldSession.latest(write);

		GtidPosition position = GtidPosition.parseMySql(merged.gtid());
		assertThat(position.includes(GtidPosition.parseMySql(uuid + ":23"))).isTrue();
		assertThat(position.includes(GtidPosition.parseMySql(uuid + ":19"))).isTrue();
	}

	@Test
	void aPositionIsKeptWhenTheNewerCommitHasNone() {
		ConsistencyToken write = new ConsistencyToken(2_000, "0-1-42", true);
		ConsistencyToken withoutPosition = new ConsistencyToken(3_000, null, false);

		ConsistencyToken merged = withoutPosition.latest(write);

		assertThat(merged.committedAtMillis()).isEqualTo(3_000);
		assertThat(merged.gtid()).isEqualTo("0-1-42");
		assertThat(merged.mariaDb()).isTrue();
	}

}
