package io.github.replicarouting.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.github.replicarouting.actuate.RoutingDecisionCounter;
import io.github.replicarouting.actuate.RoutingEndpoint;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.autoconfigure.RoutingDataSourceProperties;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.routing.LoadBalancing;
import io.github.replicarouting.routing.ReplicaLoadBalancer;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.RoutingReplicas;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for the {@code routing}
 * Actuator endpoint.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RoutingDataSourceAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(RoutingDataSource.class)
@ConditionalOnAvailableEndpoint(RoutingEndpoint.class)
public final class RoutingEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RoutingDecisionCounter routingDecisionCounter() {
		return new RoutingDecisionCounter();
	}

	@Bean
	@ConditionalOnMissingBean
	RoutingEndpoint routingEndpoint(DataSource dataSource, RoutingDecisionCounter decisions,
			ObjectProvider<RoutingDataSourceProperties> properties, ObjectProvider<ReplicaLoadBalancer> loadBalancer,
			ObjectProvider<ReadYourWrites> readYourWrites, ObjectProvider<RoutingReplicas> replicas) {
		return new RoutingEndpoint(RoutingDataSource.required(dataSource), decisions, settings(
				properties.getIfAvailable(RoutingDataSourceProperties::new), loadBalancer.getIfAvailable(),
				readYourWrites.getIfAvailable()), replicas.getIfAvailable());
	}

	private static Map<String, Object> settings(RoutingDataSourceProperties properties,
			@Nullable ReplicaLoadBalancer loadBalancer, @Nullable ReadYourWrites readYourWrites) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("loadBalancing", loadBalancing(properties, loadBalancer));
		ReadYourWritesMode mode = (readYourWrites != null) ? readYourWrites.getMode() : properties.getReadYourWrites();
		settings.put("readYourWrites", name(mode));
		if (mode == ReadYourWritesMode.STICKY) {
			settings.put("stickyWindow", DurationStyle.SIMPLE.print(properties.getStickyWindow()));
		}
		if (mode == ReadYourWritesMode.CAUSAL) {
			settings.put("causalWaitTimeout", DurationStyle.SIMPLE.print(properties.getCausalWaitTimeout()));
		}
		settings.put("fallbackToPrimary", properties.isFallbackToPrimary());
		settings.put("retryFailedReads", properties.isRetryFailedReads());
		settings.put("lagCheckInterval", DurationStyle.SIMPLE.print(properties.getLagCheckInterval()));
		settings.put("maxReplicationLag", (properties.getMaxReplicationLag() != null)
				? DurationStyle.SIMPLE.print(properties.getMaxReplicationLag()) : "none");
		settings.put("failoverTimeout", DurationStyle.SIMPLE.print(properties.getFailoverTimeout()));
		settings.put("discovery", properties.getDiscovery().isEnabled());
		return settings;
	}

	/**
	 * The configured strategy's name ({@code round-robin}), or the class of a load balancer bean of the user's.
	 */
	private static String loadBalancing(RoutingDataSourceProperties properties,
			@Nullable ReplicaLoadBalancer loadBalancer) {
		LoadBalancing configured = properties.getLoadBalancing();
		if (loadBalancer == null || configured.create().getClass() == loadBalancer.getClass()) {
			return name(configured);
		}
		return loadBalancer.getClass().getName();
	}

	private static String name(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
