package io.github.replicarouting.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.replicarouting.routing.DataSourceNode;
import io.github.replicarouting.routing.ReplicaLoadBalancer;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.routing.RoutingListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * The routing {@code DataSource}: the only {@code DataSource} bean, so JPA, JdbcTemplate, schema initialization and
 * health all use it, and all of them start on the primary.
 */
@Configuration(proxyBeanMethods = false)
class RoutingDataSourceConfiguration {

	private static final Log logger = LogFactory.getLog(RoutingDataSourceConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ReplicaLoadBalancer replicaLoadBalancer(RoutingDataSourceProperties properties) {
		return properties.getLoadBalancing().create();
	}

	@Bean
	@ConditionalOnMissingBean(DataSource.class)
	RoutingDataSource dataSource(RoutingDataSourceProperties properties, ReplicaLoadBalancer loadBalancer,
			ObjectProvider<RoutingListener> listeners, ResourceLoader resourceLoader) {
		NodePoolFactory pools = new NodePoolFactory(properties, resourceLoader.getClassLoader());
		DataSourceNode primary = pools.createPrimary();
		List<DataSourceNode> replicas = new ArrayList<>();
		try {
			properties.getReplicas().forEach((name, replica) -> replicas.add(pools.createReplica(name, replica)));
		}
		catch (RuntimeException ex) {
			new RoutingDataSource(primary, replicas, loadBalancer, List.of()).close();
			throw ex;
		}
		if (replicas.isEmpty()) {
			logger.info("No replicas configured under routing.datasource.replicas: "
					+ "reads and writes all go to the primary");
		}
		else {
			logger.info("Routing reads over replicas " + replicas + " (" + properties.getLoadBalancing()
					+ "), writes to the primary");
		}
		RoutingDataSource dataSource = new RoutingDataSource(primary, replicas, loadBalancer,
				listeners.orderedStream().toList());
		dataSource.initialize();
		return dataSource;
	}

}
