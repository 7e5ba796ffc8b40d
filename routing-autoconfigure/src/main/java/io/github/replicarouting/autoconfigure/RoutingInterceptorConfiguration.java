package io.github.replicarouting.autoconfigure;

import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingAnnotationAdvisor;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;

/**
 * The advisor behind {@code @ReadOnly} and {@code @UsePrimary}. An infrastructure advisor, so it applies whether or not
 * AspectJ-style auto-proxying is enabled.
 */
@Configuration(proxyBeanMethods = false)
class RoutingInterceptorConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static RoutingAnnotationAdvisor routingAnnotationAdvisor(Environment environment,
			ObjectProvider<DataSource> dataSource) {
		// Read from the Environment: advisors are created early, before @ConfigurationProperties beans should be.
		int order = environment.getProperty("routing.datasource.interceptor-order", Integer.class,
				new RoutingDataSourceProperties().getInterceptorOrder());
		boolean retryFailedReads = environment.getProperty("routing.datasource.retry-failed-reads", Boolean.class,
				false);
		// The data source is looked up on first use: advisors are created before the beans they advise.
		Supplier<@Nullable Topology> topology = () -> {
			RoutingDataSource routing = RoutingDataSource.from(dataSource.getIfUnique());
			return (routing != null) ? routing.getTopology() : null;
		};
		return new RoutingAnnotationAdvisor(new AnnotationTransactionAttributeSource(false), order, retryFailedReads,
				topology);
	}

}
