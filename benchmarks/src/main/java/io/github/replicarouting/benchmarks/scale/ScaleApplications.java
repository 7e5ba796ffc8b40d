package io.github.replicarouting.benchmarks.scale;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.TopologyMonitor;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The applications of the scale model: the same Spring setup as the overhead benchmarks, with a single Boot pool or
 * with the routing auto-configuration, its monitor running or not.
 */
final class ScaleApplications {

	private ScaleApplications() {
	}

	/** Boot's own Hikari pool. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ConfigurationPropertiesAutoConfiguration.class, AopAutoConfiguration.class,
			TransactionAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, DataSourceAutoConfiguration.class })
	static class SinglePool {

	}

	/** The routing auto-configuration as an application gets it, monitor included. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ConfigurationPropertiesAutoConfiguration.class, AopAutoConfiguration.class,
			TransactionAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, RoutingDataSourceAutoConfiguration.class })
	static class Routing {

	}

	/** The routing auto-configuration with a monitor that is never started, to measure start-up without it. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ConfigurationPropertiesAutoConfiguration.class, AopAutoConfiguration.class,
			TransactionAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, RoutingDataSourceAutoConfiguration.class })
	static class RoutingWithoutMonitor {

		@Bean
		TopologyMonitor idleTopologyMonitor(RoutingDataSource dataSource) {
			Map<DataSourceNode, DataSource> probes = new LinkedHashMap<>();
			for (DataSourceNode node : dataSource.getTopology().getNodes()) {
				probes.put(node, node.getDataSource());
			}
			return new TopologyMonitor(dataSource.getTopology(), probes, Duration.ofHours(1), null,
					Duration.ofSeconds(2));
		}

	}

	static Map<String, Object> common() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.ch.vorburger", "WARN");
		properties.put("spring.jmx.enabled", "false");
		return properties;
	}

}
