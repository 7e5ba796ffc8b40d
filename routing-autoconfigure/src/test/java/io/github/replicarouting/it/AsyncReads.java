package io.github.replicarouting.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.routing.RoutingContext;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;

/**
 * Reads run on Boot's task executor through {@code @Async}.
 */
@Service
class AsyncReads {

	private final ServerIds serverIds;

	AsyncReads(ServerIds serverIds) {
		this.serverIds = serverIds;
	}

	/** Read a row back and report what the task saw of the caller's context. */
	@Async
	CompletableFuture<Seen> read(String name) {
		boolean hadToken = ConsistencyContext.currentToken() != null;
		boolean hadRoute = RoutingContext.currentRoute() != null;
		long[] answer = this.serverIds.serverIdAndCount(name);
		return CompletableFuture.completedFuture(new Seen(answer[0], answer[1] > 0, hadToken, hadRoute));
	}

	/** Which server a plain query on the task's thread goes to. */
	@Async
	CompletableFuture<Seen> plain() {
		boolean hadToken = ConsistencyContext.currentToken() != null;
		boolean hadRoute = RoutingContext.currentRoute() != null;
		return CompletableFuture.completedFuture(new Seen(this.serverIds.plain(), false, hadToken, hadRoute));
	}

	/** Wait until every task of a batch has started (so they all live at once), then do what {@link #plain()} does. */
	@Async
	CompletableFuture<Seen> plainOnceAllStarted(CountDownLatch started) throws InterruptedException {
		started.countDown();
		if (!started.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The other tasks of the batch did not start within 30 s");
		}
		return plain();
	}

	record Seen(long serverId, boolean found, boolean hadToken, boolean hadRoute, boolean virtualThread) {

		Seen(long serverId, boolean found, boolean hadToken, boolean hadRoute) {
			this(serverId, found, hadToken, hadRoute, isVirtual(Thread.currentThread()));
		}

		// Thread.isVirtual() exists from Java 21; the tests compile for 17.
		private static boolean isVirtual(Thread thread) {
			try {
				return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (ReflectiveOperationException ex) {
				return false;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

	}

}
