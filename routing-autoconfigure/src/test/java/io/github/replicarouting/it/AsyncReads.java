package io.github.replicarouting.it;

import java.util.concurrent.CompletableFuture;

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

	record Seen(long serverId, boolean found, boolean hadToken, boolean hadRoute) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

	}

}
