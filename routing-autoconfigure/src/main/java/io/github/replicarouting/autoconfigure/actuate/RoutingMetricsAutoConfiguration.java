package io.github.replicarouting.autoconfigure.actuate;

import javax.sql.DataSource;

import io.github.replicarouting.actuate.RoutingMetricsListener;
import io.github.replicarouting.actuate.RoutingNodeMetrics;
import io.github.replicarouting.actuate.RoutingObservationListener;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for Micrometer metrics of
 * routing decisions, node states and every node's pool, and for the routing attributes of the current observation.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RoutingDataSourceAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBean(RoutingDataSource.class)
public final class RoutingMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class RoutingMeterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RoutingMetricsListener routingMetricsListener(ObjectProvider<MeterRegistry> registry) {
			return new RoutingMetricsListener(registry::getObject);
		}

		@Bean
		@ConditionalOnMissingBean
		RoutingNodeMetrics routingNodeMetrics(DataSource dataSource) {
			return new RoutingNodeMetrics(RoutingDataSource.required(dataSource).getTopology());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class RoutingObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RoutingObservationListener routingObservationListener(ObjectProvider<ObservationRegistry> registry) {
			return new RoutingObservationListener(registry::getObject);
		}

	}

}
