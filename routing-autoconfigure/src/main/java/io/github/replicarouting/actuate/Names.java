package io.github.replicarouting.actuate;

import java.time.Duration;
import java.util.Locale;

import io.github.replicarouting.routing.RoutingReason;
import io.github.replicarouting.topology.NodeState;
import io.github.replicarouting.topology.NodeStatus;
import org.jspecify.annotations.Nullable;

/**
 * The names under which routing reasons, routes, roles and states appear in metrics tags, the endpoint and logs:
 * lower case, words joined by dashes ({@code readonly-tx}, {@code no-replica}).
 */
final class Names {

	private Names() {
	}

	static String of(RoutingReason reason) {
		if (reason == RoutingReason.READ_ONLY_TRANSACTION) {
			return "readonly-tx";
		}
		return of((Enum<?>) reason);
	}

	static String of(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * A replica's lag for people: {@code 120 ms}, {@code replication stopped}, or {@code null} when not measured.
	 */
	static @Nullable String lag(@Nullable Duration lag) {
		if (lag == null) {
			return null;
		}
		return NodeStatus.STOPPED.equals(lag) ? "replication stopped" : lag.toMillis() + " ms";
	}

	/**
	 * A replica's lag, unless it is down: the last measurement of a dead node says nothing about it.
	 */
	static @Nullable Duration currentLag(NodeStatus status) {
		return (status.state() != NodeState.DOWN) ? status.lag() : null;
	}

}
