package io.github.replicarouting.routing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.consistency.ConsistencyToken;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer context propagation carries the route and the read-your-writes token to other threads (the accessors
 * are found through {@code META-INF/services}, as in an application), and leaves those threads as they were.
 */
class ContextPropagationTests {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	@Test
	void accessorsAreRegisteredFromTheClasspath() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).extracting((accessor) -> accessor.key())
			.contains(RoutingContextAccessor.KEY, io.github.replicarouting.consistency.ConsistencyTokenAccessor.KEY);
	}

	@Test
	void routeAndTokenReachTheTaskAndLeaveNothingBehind() throws Exception {
		ConsistencyToken token = new ConsistencyToken(System.currentTimeMillis(), "0-1-42", true);
		ContextSnapshot snapshot;
		try (ConsistencyContext.Handle request = ConsistencyContext.open(token, null);
				RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "ReportService.monthly()")) {
			snapshot = ContextSnapshotFactory.builder().build().captureAll();
		}
		Callable<Object[]> task = () -> new Object[] { RoutingContext.currentRoute(), RoutingContext.currentOrigin(),
				ConsistencyContext.currentToken() };
		Object[] seen = this.executor.submit(snapshot.wrap(task)).get();
		assertThat(seen[0]).isEqualTo(Route.REPLICA);
		assertThat((String) seen[1]).contains("ReportService.monthly()");
		assertThat(seen[2]).isEqualTo(token);
		Object[] after = this.executor.submit(task).get();
		assertThat(after).containsOnlyNulls();
		assertThat(this.executor.submit(RoutingContext::depth).get()).isZero();
	}

	@Test
	void taskCapturedWithoutARouteRunsWithoutOneAndTheThreadGetsItsRouteBack() throws Exception {
		ContextSnapshot nothing = ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
		try (RoutingContext.Scope scope = RoutingContext.push(Route.PRIMARY, "outer")) {
			// Run on this very thread, as reactive code may: the task must not inherit the thread's route.
			assertThat(nothing.wrap(RoutingContext::currentRoute).call()).isNull();
			assertThat(RoutingContext.currentRoute()).isEqualTo(Route.PRIMARY);
			assertThat(RoutingContext.depth()).isEqualTo(1);
		}
		assertThat(RoutingContext.depth()).isZero();
	}

}
