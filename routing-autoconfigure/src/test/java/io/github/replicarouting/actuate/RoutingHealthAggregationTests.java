package io.github.replicarouting.actuate;

import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Boot's health endpoint, with its default status aggregation ({@code SimpleStatusAggregator}: DOWN,
 * OUT_OF_SERVICE, UP, UNKNOWN; statuses not in that order are left out), makes of the routing composite. Pins the
 * example in the README.
 */
class RoutingHealthAggregationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HealthContributorAutoConfiguration.class,
						HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoint.health.show-details=always");

	@Test
	void replicasGroupWithOneLaggingAndOneDeadReplicaIsUnknownAndRoutingStaysUp() {
		this.contextRunner.withUserConfiguration(OneLaggingOneDeadReplica.class).run((context) -> {
			CompositeHealthDescriptor health = (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class)
				.health();
			CompositeHealthDescriptor routing = (CompositeHealthDescriptor) health.getComponents().get("routing");
			Map<String, HealthDescriptor> groups = routing.getComponents();
			CompositeHealthDescriptor replicas = (CompositeHealthDescriptor) groups.get("replicas");
			System.out.println("routing health: " + JsonMapper.builder().build().writeValueAsString(routing));

			assertThat(replicas.getComponents().get("replica-1").getStatus()).isEqualTo(RoutingHealthContributor.LAGGING);
			assertThat(replicas.getComponents().get("replica-2").getStatus())
				.isEqualTo(RoutingHealthContributor.OUT_OF_ROTATION);
			// Neither custom status is in Boot's default order, so nothing is left to aggregate: UNKNOWN, not UP.
			assertThat(replicas.getStatus()).isEqualTo(Status.UNKNOWN);
			// UP ranks before UNKNOWN: the primary (and standbys) keep routing, and the application, UP (HTTP 200).
			assertThat(groups.get("standbys").getStatus()).isEqualTo(Status.UP);
			assertThat(routing.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void replicasGroupIsUpWhileOneReplicaIsUp() {
		this.contextRunner.withUserConfiguration(OneLaggingOneUpReplica.class).run((context) -> {
			CompositeHealthDescriptor health = (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class)
				.health();
			CompositeHealthDescriptor routing = (CompositeHealthDescriptor) health.getComponents().get("routing");
			assertThat(routing.getComponents().get("replicas").getStatus()).isEqualTo(Status.UP);
		});
	}

	private static Topology topology() {
		DataSourceNode primary = node("primary", NodeRole.PRIMARY);
		DataSourceNode standby = node("standby-1", NodeRole.STANDBY);
		DataSourceNode replica1 = node("replica-1", NodeRole.REPLICA);
		DataSourceNode replica2 = node("replica-2", NodeRole.REPLICA);
		Topology topology = new Topology(primary, List.of(standby), List.of(replica1, replica2));
		topology.reportReachable(primary, true, null, null, null);
		topology.reportReachable(standby, false, null, null, null);
		topology.reportReachable(replica1, false, Duration.ofMillis(596), Duration.ofMillis(500), null);
		return topology;
	}

	private static DataSourceNode node(String name, NodeRole role) {
		return new DataSourceNode(name, role, new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:1/none"), 1);
	}

	@Configuration(proxyBeanMethods = false)
	static class OneLaggingOneDeadReplica {

		@Bean
		RoutingHealthContributor routingHealthContributor() {
			Topology topology = topology();
			topology.reportConnectionFailure(topology.getReplicas().get(1),
					new SQLNonTransientConnectionException("(conn=13) Socket error"));
			return new RoutingHealthContributor(topology);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OneLaggingOneUpReplica {

		@Bean
		RoutingHealthContributor routingHealthContributor() {
			return new RoutingHealthContributor(topology());
		}

	}

}
