package io.github.replicarouting.actuate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingMetricsListenerTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RoutingMetricsListener listener = new RoutingMetricsListener(this.registry);

	@Test
	void countsDecisionsByTargetNodeAndReason() {
		this.listener.onConnection(new RoutingDecision("replica-1", Route.REPLICA, RoutingReason.READ_ONLY_TRANSACTION));
		this.listener.onConnection(new RoutingDecision("replica-1", Route.REPLICA, RoutingReason.READ_ONLY_TRANSACTION));
		this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.FALLBACK));
		this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.NO_REPLICA));
		assertThat(this.registry.get("routing.decisions")
			.tags("target", "replica", "node", "replica-1", "reason", "readonly-tx")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("routing.decisions")
			.tags("target", "primary", "node", "primary", "reason", "fallback")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("routing.decisions").tag("reason", "no-replica").counter().count()).isEqualTo(1);
	}

	@Test
	void everyReasonHasATagValue() {
		assertThat(java.util.Arrays.stream(RoutingReason.values()).map(Names::of)).contains("annotation",
				"readonly-tx", "default", "no-replica", "fallback");
	}

	@Test
	void timesCausalWaitsByNodeAndOutcome() {
		this.listener.onCausalWait("replica-2", Duration.ofMillis(40), true);
		this.listener.onCausalWait("replica-2", Duration.ofMillis(500), false);
		assertThat(this.registry.get("routing.causal.wait").tags("node", "replica-2", "outcome", "applied").timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
		assertThat(this.registry.get("routing.causal.wait").tags("outcome", "timeout").timer().count()).isEqualTo(1);
	}

}
