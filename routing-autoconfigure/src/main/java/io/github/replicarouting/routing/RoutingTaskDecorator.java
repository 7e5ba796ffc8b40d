package io.github.replicarouting.routing;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.consistency.ConsistencyToken;

import org.springframework.core.task.TaskDecorator;

/**
 * Hands the caller's route and read-your-writes token to a task run on another thread ({@code @Async} methods,
 * Spring's task executors, virtual threads), and removes both when the task ends, so nothing stays on a pooled
 * thread.
 *
 * @since 0.1.0
 */
public class RoutingTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable task) {
		Route route = RoutingContext.currentRoute();
		String origin = RoutingContext.currentOrigin();
		ConsistencyToken token = ConsistencyContext.currentToken();
		return () -> {
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(token, null)) {
				if (route == null) {
					task.run();
					return;
				}
				try (RoutingContext.Scope routed = RoutingContext.push(route, "task started in " + origin)) {
					task.run();
				}
			}
		};
	}

}
