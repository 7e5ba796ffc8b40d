package io.github.replicarouting.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * MySQL formats are those of the MySQL reference manual (GTID format and storage, tagged GTIDs since 8.3); no MySQL
 * server is available here to produce them.
 */
class GtidPositionTests {

	private static final String UUID = "3E11FA47-71CA-11E1-9E33-C80AA9429562";

	private static final String OTHER_UUID = "4f2e9b2c-71ca-11e1-9e33-c80aa9429562";

	@Test
	void mariaDbPositionsCompareByDomain() {
		GtidPosition primary = GtidPosition.parseMariaDb("0-1-42,1-7-5");
		assertThat(GtidPosition.parseMariaDb("0-1-42,1-7-5").includes(primary)).isTrue();
		assertThat(GtidPosition.parseMariaDb("0-1-43,1-7-9").includes(primary)).isTrue();
		assertThat(GtidPosition.parseMariaDb("0-1-41,1-7-9").includes(primary)).isFalse();
		assertThat(GtidPosition.parseMariaDb("0-1-42").includes(primary)).isFalse();
	}

	@Test
	void mariaDbSequenceCountsWhicheverServerWroteIt() {
		// After a switchover the standby (server 4) continues domain 0's sequence.
		assertThat(GtidPosition.parseMariaDb("0-4-50").includes(GtidPosition.parseMariaDb("0-1-42"))).isTrue();
	}

	@Test
	void mySqlSingleGtidAndRange() {
		GtidPosition single = GtidPosition.parseMySql(UUID + ":23");
		GtidPosition range = GtidPosition.parseMySql(UUID + ":1-56");
		assertThat(range.includes(single)).isTrue();
		assertThat(single.includes(range)).isFalse();
		assertThat(GtidPosition.parseMySql(UUID + ":1-22").includes(single)).isFalse();
	}

	@Test
	void mySqlUuidsAreCaseInsensitive() {
		assertThat(GtidPosition.parseMySql(UUID.toLowerCase() + ":1-5").includes(GtidPosition.parseMySql(UUID + ":5")))
			.isTrue();
		assertThat(GtidPosition.parseMySql(UUID + ":1-5")).isEqualTo(GtidPosition.parseMySql(UUID.toLowerCase() + ":1-5"));
	}

	@Test
	void mySqlSetsOfSeveralUuidsAsGtidExecutedPrintsThem() {
		// gtid_executed puts a newline after each comma.
		GtidPosition primary = GtidPosition.parseMySql(UUID + ":1-42:50-60,\n" + OTHER_UUID + ":1-5");
		assertThat(GtidPosition.parseMySql(UUID + ":1-60, " + OTHER_UUID + ":1-5").includes(primary)).isTrue();
		assertThat(GtidPosition.parseMySql(UUID + ":1-59,\n" + OTHER_UUID + ":1-5").includes(primary)).isFalse();
		assertThat(GtidPosition.parseMySql(UUID + ":1-60").includes(primary)).isFalse();
	}

	@Test
	void mySqlGapsAreNotContiguous() {
		GtidPosition replica = GtidPosition.parseMySql(UUID + ":1-5:7-9");
		assertThat(replica.includes(GtidPosition.parseMySql(UUID + ":6"))).isFalse();
		assertThat(replica.includes(GtidPosition.parseMySql(UUID + ":1-9"))).isFalse();
		assertThat(replica.includes(GtidPosition.parseMySql(UUID + ":9"))).isTrue();
		assertThat(replica.includes(GtidPosition.parseMySql(UUID + ":1-3:8"))).isTrue();
		// Only what a node really has counts: the highest number alone does not stand for the numbers below it.
		assertThat(GtidPosition.parseMySql(UUID + ":7").includes(GtidPosition.parseMySql(UUID + ":1-7"))).isFalse();
		// Adjacent and overlapping intervals are one interval.
		assertThat(GtidPosition.parseMySql(UUID + ":1-5:6-9").includes(GtidPosition.parseMySql(UUID + ":1-9")))
			.isTrue();
		assertThat(GtidPosition.parseMySql(UUID + ":4-9:1-5")).isEqualTo(GtidPosition.parseMySql(UUID + ":1-9"));
	}

	@Test
	void mySqlTaggedGtids() {
		// MySQL 8.3+: untagged intervals, then each tag with its own intervals, in one uuid set.
		GtidPosition executed = GtidPosition.parseMySql(UUID + ":1-5:mytag:1-3");
		assertThat(executed.includes(GtidPosition.parseMySql(UUID + ":mytag:3"))).isTrue();
		assertThat(executed.includes(GtidPosition.parseMySql(UUID + ":5"))).isTrue();
		// A tag is a stream of its own: mytag:4 is not untagged 4.
		assertThat(executed.includes(GtidPosition.parseMySql(UUID + ":mytag:4"))).isFalse();
		assertThat(executed.includes(GtidPosition.parseMySql(UUID + ":other:1"))).isFalse();
		assertThat(GtidPosition.parseMySql(UUID + ":1-5").includes(executed)).isFalse();
		GtidPosition several = GtidPosition.parseMySql(UUID + ":1-5:Domain_1:1-3:11:47-49,\n" + OTHER_UUID
				+ ":_x:8-52");
		assertThat(several.includes(GtidPosition.parseMySql(UUID + ":domain_1:48," + OTHER_UUID + ":_X:8"))).isTrue();
		assertThat(several.includes(GtidPosition.parseMySql(UUID + ":domain_1:4"))).isFalse();
	}

	@Test
	void mySqlSetRestrictedToOneServer() {
		GtidPosition executed = GtidPosition.parseMySql(
				OTHER_UUID + ":1-1000,\n" + UUID + ":1-5:7-9:mytag:1-3");
		GtidPosition own = executed.restrictTo(UUID.toLowerCase());
		assertThat(own.toString()).isEqualTo(UUID.toLowerCase() + ":1-5:7-9:mytag:1-3");
		assertThat(own).isEqualTo(GtidPosition.parseMySql(own.toString()));
		assertThat(executed.includes(own)).isTrue();
		assertThat(GtidPosition.parseMySql(UUID + ":1-9:mytag:1-3").includes(own)).isTrue();
		assertThat(executed.restrictTo("00000000-0000-0000-0000-000000000000")).isSameAs(GtidPosition.EMPTY);
	}

	@Test
	void emptyPositions() {
		assertThat(GtidPosition.parseMariaDb("")).isSameAs(GtidPosition.EMPTY);
		assertThat(GtidPosition.parseMySql(null)).isSameAs(GtidPosition.EMPTY);
		assertThat(GtidPosition.parseMySql(" \n")).isSameAs(GtidPosition.EMPTY);
		assertThat(GtidPosition.parseMariaDb("0-1-1").includes(GtidPosition.EMPTY)).isTrue();
		assertThat(GtidPosition.EMPTY.includes(GtidPosition.parseMariaDb("0-1-1"))).isFalse();
	}

	@Test
	void malformedPositionsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMariaDb("0-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMariaDb("0-1-x"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql("no-intervals"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":mytag"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":1-5:mytag"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":5-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":0"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":1-x"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql("not-a-uuid:1-5"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql(UUID + ":9tag:1"));
	}

}
