package io.github.replicarouting.autoconfigure.actuate;

import io.github.replicarouting.actuate.RoutingDecisionCounter;
import io.github.replicarouting.actuate.RoutingEndpoint;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
class RoutingEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, RoutingEndpointAutoConfiguration.class))
		.withPropertyValues(ClusterProperties.of());

	@Test
	void endpointIsAvailableWhenExposed() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=routing",
					"routing.datasource.load-balancing=weighted", "routing.datasource.max-replication-lag=750ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(RoutingEndpoint.class).hasSingleBean(RoutingDecisionCounter.class);
				RoutingEndpoint.RoutingDescriptor routing = context.getBean(RoutingEndpoint.class).routing();
				assertThat(routing.writer()).isEqualTo("primary");
				assertThat(routing.settings()).containsEntry("loadBalancing", "weighted")
					.containsEntry("maxReplicationLag", "750ms")
					.containsEntry("fallbackToPrimary", true);
				assertThat(routing.nodes()).extracting(RoutingEndpoint.NodeDescriptor::name)
					.containsExactly("primary", "replica-1", "replica-2");
				assertThat(routing.nodes()).extracting(RoutingEndpoint.NodeDescriptor::role)
					.containsExactly("primary", "replica", "replica");
				assertThat(context.getBean(RoutingEndpoint.class).node("replica-2").url()).contains("jdbc:");
				assertThat(context.getBean(RoutingEndpoint.class).node("replica-9")).isNull();
			});
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RoutingEndpoint.class)
			.doesNotHaveBean(RoutingDecisionCounter.class));
	}

	@Test
	void endpointIsAbsentWhenItsAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=routing",
					"management.endpoint.routing.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RoutingEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=routing")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RoutingEndpoint.class));
	}

}
