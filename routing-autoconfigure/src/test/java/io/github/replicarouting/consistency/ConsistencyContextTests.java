package io.github.replicarouting.consistency;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistencyContextTests {

	@AfterEach
	void clear() {
		ConsistencyContext.clear();
	}

	@Test
	void writesAreRememberedPerThreadAndTheLatestWins() {
		assertThat(ConsistencyContext.currentToken()).isNull();
		ConsistencyContext.record(new ConsistencyToken(10, "1-1-5", true));
		ConsistencyContext.record(new ConsistencyToken(20, null, false));
		assertThat(ConsistencyContext.currentToken()).isEqualTo(new ConsistencyToken(20, "1-1-5", true));
		ConsistencyContext.record(new ConsistencyToken(30, "1-1-9", true));
		assertThat(ConsistencyContext.currentToken()).isEqualTo(new ConsistencyToken(30, "1-1-9", true));
	}

	@Test
	void openedScopeShadowsTheThreadsAndIsRestoredOnClose() {
		ConsistencyContext.record(new ConsistencyToken(10, "1-1-5", true));
		List<ConsistencyToken> sent = new ArrayList<>();
		try (ConsistencyContext.Handle request = ConsistencyContext.open(null, sent::add)) {
			assertThat(ConsistencyContext.currentToken()).isNull();
			ConsistencyContext.record(new ConsistencyToken(50, "1-1-7", true));
			assertThat(sent).containsExactly(new ConsistencyToken(50, "1-1-7", true));
		}
		assertThat(ConsistencyContext.currentToken()).isEqualTo(new ConsistencyToken(10, "1-1-5", true));
	}

	@Test
	void closingTheOutermostScopeLeavesNothingOnTheThread() {
		try (ConsistencyContext.Handle task = ConsistencyContext.open(new ConsistencyToken(1, "1-1-1", true), null)) {
			assertThat(ConsistencyContext.currentToken()).isNotNull();
		}
		assertThat(ConsistencyContext.currentToken()).isNull();
	}

}
