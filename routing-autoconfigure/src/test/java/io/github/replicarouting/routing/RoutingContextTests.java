package io.github.replicarouting.routing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

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

}
