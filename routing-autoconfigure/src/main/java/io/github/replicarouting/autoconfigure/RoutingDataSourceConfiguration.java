package io.github.replicarouting.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.routing.ReplicaLoadBalancer;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.consistency.ReadYourWrites;
import io.github.replicarouting.routing.RoutingListener;
import io.github.replicarouting.routing.RoutingTaskDecorator;
import io.github.replicarouting.topology.RoutingReplicas;
import io.github.replicarouting.topology.Topology;
import io.github.replicarouting.topology.TopologyMonitor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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
	@ConditionalOnMissingBean
	ReadYourWrites readYourWrites(RoutingDataSourceProperties properties) {
		return new ReadYourWrites(properties.getReadYourWrites(), properties.getStickyWindow(),
				properties.getCausalWaitTimeout(), properties.getConsistencyToken().getMaxAge());
	}

	/**
	 * Next to the application's own task decorators: Boot composes every {@code TaskDecorator} bean, in order.
	 */
	@Bean
	@ConditionalOnMissingBean
	RoutingTaskDecorator routingTaskDecorator() {
		return new RoutingTaskDecorator();
	}

	@Bean
	@ConditionalOnMissingBean(DataSource.class)
	RoutingDataSource dataSource(RoutingDataSourceProperties properties, ReplicaLoadBalancer loadBalancer,
			ReadYourWrites readYourWrites, ObjectProvider<RoutingListener> listeners, ResourceLoader resourceLoader) {
		if (properties.getDiscovery().isEnabled()) {
			// Before any pool connects: a discovery setting that cannot work fails the start at once.
			ReplicaDiscovery.urlTemplate(properties);
		}
		NodePoolFactory pools = new NodePoolFactory(properties, resourceLoader.getClassLoader());
		List<DataSourceNode> created = new ArrayList<>();
		try {
			DataSourceNode primary = pools.createPrimary();
			created.add(primary);
			List<DataSourceNode> standbys = new ArrayList<>();
			properties.getStandbys().forEach((name, standby) -> standbys.add(add(created, pools.createStandby(name, standby))));
			List<DataSourceNode> replicas = new ArrayList<>();
			properties.getReplicas()
				.forEach((name, replica) -> replicas.add(add(created, pools.started(pools.createReplica(name, replica)))));
			logTopology(properties, standbys, replicas);
			RoutingDataSource dataSource = new RoutingDataSource(new Topology(primary, standbys, replicas),
					properties.isFallbackToPrimary(), loadBalancer, readYourWrites, listeners.orderedStream().toList());
			dataSource.initialize();
			return dataSource;
		}
		catch (RuntimeException ex) {
			created.forEach(NodePools::close);
			throw ex;
		}
	}

	/**
	 * Adds and removes replicas at run time; also where the monitor finds how to reach the replicas it added.
	 */
	@Bean
	@ConditionalOnMissingBean(RoutingReplicas.class)
	ManagedReplicas routingReplicas(ObjectProvider<DataSource> dataSource, RoutingDataSourceProperties properties,
			ResourceLoader resourceLoader) {
		return new ManagedReplicas(dataSource, properties,
				new NodePoolFactory(properties, resourceLoader.getClassLoader()));
	}

	@Bean
	@ConditionalOnMissingBean(TopologyMonitor.class)
	TopologyMonitorLifecycle routingTopologyMonitor(ObjectProvider<DataSource> dataSource,
			RoutingDataSourceProperties properties, ResourceLoader resourceLoader,
			ObjectProvider<ManagedReplicas> managedReplicas, ConfigurableListableBeanFactory beanFactory) {
		return new TopologyMonitorLifecycle(dataSource, (routing) -> {
			NodePoolFactory pools = new NodePoolFactory(properties, resourceLoader.getClassLoader());
			ManagedReplicas managed = managedReplicas.getIfAvailable();
			Function<DataSourceNode, DataSource> probes = (managed != null) ? managed::probeDataSource
					: pools::createProbeDataSource;
			return new TopologyMonitor(routing.getTopology(), probes, properties.getCheckInterval(),
					properties.getMaxReplicationLag(), properties.getNodeTimeout());
		}, beanFactory);
	}

	@Bean
	@ConditionalOnBooleanProperty("routing.datasource.discovery.enabled")
	@ConditionalOnMissingBean
	ReplicaDiscovery routingReplicaDiscovery(ObjectProvider<DataSource> dataSource,
			RoutingDataSourceProperties properties, ResourceLoader resourceLoader, ManagedReplicas managedReplicas) {
		return new ReplicaDiscovery(dataSource, properties,
				new NodePoolFactory(properties, resourceLoader.getClassLoader()), managedReplicas);
	}

	private static DataSourceNode add(List<DataSourceNode> created, DataSourceNode node) {
		created.add(node);
		return node;
	}

	private static void logTopology(RoutingDataSourceProperties properties, List<DataSourceNode> standbys,
			List<DataSourceNode> replicas) {
		if (replicas.isEmpty()) {
			logger.info("No replicas configured under routing.datasource.replicas: "
					+ "reads and writes all go to the primary");
		}
		else {
			logger.info("Routing reads over replicas " + replicas + " (" + properties.getLoadBalancing()
					+ "), writes to the primary" + (standbys.isEmpty() ? "" : " or standbys " + standbys));
		}
	}

}
