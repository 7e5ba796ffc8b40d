package io.github.replicarouting.routing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.replicarouting.topology.DataSourceNode;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingContextTests {

	@Test
	void emptyContextRequestsNothing() {
		assertThat(RoutingContext.currentRoute()).isNull();
		assertThat(RoutingContext.currentOrigin()).isNull();
		assertThat(RoutingContext.depth()).isZero();
	}

	@Test
	void innermostScopeDecidesAndClosingRestoresTheOuterOne() {
		try (RoutingContext.Scope outer = RoutingContext.push(Route.REPLICA, "outer")) {
			assertThat(RoutingContext.currentRoute()).isEqualTo(Route.REPLICA);
			try (RoutingContext.Scope inner = RoutingContext.push(Route.PRIMARY, "inner")) {
				assertThat(RoutingContext.currentRoute()).isEqualTo(Route.PRIMARY);
				assertThat(RoutingContext.currentOrigin()).isEqualTo("inner");
				assertThat(RoutingContext.depth()).isEqualTo(2);
			}
			assertThat(RoutingContext.currentRoute()).isEqualTo(Route.REPLICA);
			assertThat(RoutingContext.currentOrigin()).isEqualTo("outer");
		}
		assertThat(RoutingContext.depth()).isZero();
	}

	@Test
	void primaryRequestHoldsForNestedReadOnlyScopes() {
		try (RoutingContext.Scope outer = RoutingContext.push(Route.PRIMARY, "fresh data needed")) {
			try (RoutingContext.Scope inner = RoutingContext.push(Route.REPLICA, "read-only method")) {
				assertThat(RoutingContext.currentRoute()).isEqualTo(Route.PRIMARY);
				assertThat(RoutingContext.currentOrigin()).isEqualTo("read-only method");
			}
		}
	}

	@Test
	void readOnlyScopeNestedInAPrimaryRequestStaysReadOnly() {
		assertThat(RoutingContext.isReadOnlyScope()).isFalse();
		try (RoutingContext.Scope primary = RoutingContext.push(Route.PRIMARY, "fresh data needed")) {
			assertThat(RoutingContext.isReadOnlyScope()).isFalse();
			try (RoutingContext.Scope readOnly = RoutingContext.push(Route.REPLICA, "read-only method")) {
				assertThat(RoutingContext.currentRoute()).isEqualTo(Route.PRIMARY);
				assertThat(RoutingContext.isReadOnlyScope()).isTrue();
				try (RoutingContext.Scope unrouted = RoutingContext.push(null, "read-write transaction")) {
					assertThat(RoutingContext.isReadOnlyScope()).as("inherits the innermost annotation").isTrue();
				}
				try (RoutingContext.Scope primaryAgain = RoutingContext.push(Route.PRIMARY, "fresh data again")) {
					assertThat(RoutingContext.isReadOnlyScope()).isFalse();
				}
			}
			int depth = RoutingContext.enter(null, Route.REPLICA, "read-only transaction");
			try {
				assertThat(RoutingContext.isReadOnlyScope()).isTrue();
			}
			finally {
				RoutingContext.exit(depth);
			}
			assertThat(RoutingContext.isReadOnlyScope()).isFalse();
		}
	}

	@Test
	void exceptionsStillRestoreTheRoute() {
		try (RoutingContext.Scope outer = RoutingContext.push(Route.PRIMARY, "outer")) {
			try (RoutingContext.Scope inner = RoutingContext.push(Route.REPLICA, "inner")) {
				throw new IllegalStateException("boom");
			}
			catch (IllegalStateException ex) {
				// expected
			}
			assertThat(RoutingContext.currentRoute()).isEqualTo(Route.PRIMARY);
		}
		assertThat(RoutingContext.currentRoute()).isNull();
	}

	@Test
	void closingAnOuterScopeAlsoClosesScopesLeftOpenInsideIt() {
		RoutingContext.Scope outer = RoutingContext.push(Route.REPLICA, "outer");
		RoutingContext.push(Route.PRIMARY, "left open");
		outer.close();
		assertThat(RoutingContext.depth()).isZero();
		outer.close();
		assertThat(RoutingContext.depth()).isZero();
	}

	@Test
	void scopesAreThreadConfinedAndLeaveNothingOnPooledThreads() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "caller")) {
			assertThat(executor.submit(RoutingContext::currentRoute).get()).isNull();
			executor.submit(() -> {
				try (RoutingContext.Scope inner = RoutingContext.push(Route.REPLICA, "task")) {
					throw new IllegalStateException("task fails");
				}
			});
			assertThat(executor.submit(RoutingContext::depth).get()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void deepNestingBeyondTheInitialCapacityKeepsEveryLevel() {
		int outer = RoutingContext.enter(Route.REPLICA, null, "level-0");
		int[] depths = new int[40];
		for (int level = 1; level < depths.length; level++) {
			depths[level] = RoutingContext.enter((level % 2 == 0) ? Route.REPLICA : null, null, "level-" + level);
		}
		assertThat(RoutingContext.depth()).isEqualTo(40);
		assertThat(RoutingContext.currentOrigin()).isEqualTo("level-39");
		assertThat(RoutingContext.currentRoute()).isEqualTo(Route.REPLICA);
		for (int level = depths.length - 1; level >= 1; level--) {
			RoutingContext.exit(depths[level]);
			assertThat(RoutingContext.currentOrigin()).isEqualTo("level-" + (level - 1));
		}
		RoutingContext.exit(outer);
		assertThat(RoutingContext.depth()).isZero();
		assertThat(RoutingContext.currentRoute()).isNull();
	}

	@Test
	void transactionRouteIsTakenOnceAndOnlyByItsOwnLevel() {
		int outer = RoutingContext.enter(null, Route.REPLICA, "read-only transaction");
		try {
			int inner = RoutingContext.enter(null, Route.PRIMARY, "read-write transaction");
			assertThat(RoutingContext.takeTransactionRoute()).isEqualTo(Route.PRIMARY);
			assertThat(RoutingContext.takeTransactionRoute()).isNull();
			RoutingContext.exit(inner);
			assertThat(RoutingContext.takeTransactionRoute()).isEqualTo(Route.REPLICA);
			assertThat(RoutingContext.takeTransactionRoute()).isNull();
			assertThat(RoutingContext.currentRoute()).as("a transaction route is not a requested route").isNull();
		}
		finally {
			RoutingContext.exit(outer);
		}
		assertThat(RoutingContext.takeTransactionRoute()).isNull();
	}

	@Test
	void leavingALevelForgetsItsReplicaAndTransactionRoute() {
		int outer = RoutingContext.enter(Route.REPLICA, Route.REPLICA, "first");
		ScopeConnections.connected(new DataSourceNode("replica-1", new SimpleDriverDataSource(), 1), false);
		assertThat(ScopeConnections.soleNode()).isNotNull();
		RoutingContext.exit(outer);
		outer = RoutingContext.enter(Route.REPLICA, null, "second");
		try {
			assertThat(ScopeConnections.soleNode()).isNull();
			assertThat(ScopeConnections.mayHaveWritten()).isFalse();
			assertThat(RoutingContext.takeTransactionRoute()).isNull();
		}
		finally {
			RoutingContext.exit(outer);
		}
	}

}
