package io.github.replicarouting.actuate;

import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingReason;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingObservationListenerTests {

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final List<Observation.Context> stopped = new ArrayList<>();

	private final RoutingObservationListener listener = new RoutingObservationListener(this.registry);

	RoutingObservationListenerTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				RoutingObservationListenerTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	@Test
	void currentObservationNamesTheChosenNodes() {
		Observation.createNotStarted("request", this.registry).observe(() -> {
			this.listener.onConnection(new RoutingDecision("replica-2", Route.REPLICA, RoutingReason.ANNOTATION));
			this.listener.onConnection(new RoutingDecision("replica-2", Route.REPLICA, RoutingReason.ANNOTATION));
			this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.DEFAULT));
		});
		assertThat(this.stopped).singleElement().satisfies((context) -> {
			assertThat(context.getHighCardinalityKeyValue("routing.node")).isEqualTo(KeyValue.of("routing.node", "primary"));
			assertThat(context.getHighCardinalityKeyValue("routing.nodes"))
				.isEqualTo(KeyValue.of("routing.nodes", "replica-2,primary"));
			// Not a metric tag: node names must not multiply the observation's time series.
			assertThat(context.getLowCardinalityKeyValues()).isEmpty();
		});
	}

	@Test
	void withoutACurrentObservationNothingHappens() {
		this.listener.onConnection(new RoutingDecision("replica-1", Route.REPLICA, RoutingReason.ANNOTATION));
		assertThat(this.stopped).isEmpty();
	}

}
