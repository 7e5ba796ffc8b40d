package io.github.replicarouting.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GtidPositionTests {

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
	void mySqlSetsCompareByHighestTransactionPerSource() {
		GtidPosition primary = GtidPosition.parseMySql(
				"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-42:50-60,\n4f2e9b2c-71ca-11e1-9e33-c80aa9429562:1-5");
		assertThat(GtidPosition.parseMySql(
				"3e11fa47-71ca-11e1-9e33-c80aa9429562:1-60, 4f2e9b2c-71ca-11e1-9e33-c80aa9429562:1-5")
			.includes(primary)).isTrue();
		assertThat(GtidPosition.parseMySql("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-59,"
				+ "4f2e9b2c-71ca-11e1-9e33-c80aa9429562:1-5").includes(primary)).isFalse();
		assertThat(GtidPosition.parseMySql("3e11fa47-71ca-11e1-9e33-c80aa9429562:7").includes(
				GtidPosition.parseMySql("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7"))).isTrue();
	}

	@Test
	void emptyPositions() {
		assertThat(GtidPosition.parseMariaDb("")).isSameAs(GtidPosition.EMPTY);
		assertThat(GtidPosition.parseMySql(null)).isSameAs(GtidPosition.EMPTY);
		assertThat(GtidPosition.parseMariaDb("0-1-1").includes(GtidPosition.EMPTY)).isTrue();
		assertThat(GtidPosition.EMPTY.includes(GtidPosition.parseMariaDb("0-1-1"))).isFalse();
	}

	@Test
	void malformedPositionsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMariaDb("0-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> GtidPosition.parseMySql("no-intervals"));
	}

}
