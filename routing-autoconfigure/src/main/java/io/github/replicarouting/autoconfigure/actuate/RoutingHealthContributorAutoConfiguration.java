package io.github.replicarouting.autoconfigure.actuate;

import javax.sql.DataSource;

import io.github.replicarouting.actuate.RoutingHealthContributor;
import io.github.replicarouting.actuate.WriterHealthIndicator;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for the health of the
 * routing {@code DataSource}: {@code routing}, one entry per node, and {@code db} in place of Boot's, both read from
 * the topology monitor rather than querying a node at every health request.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RoutingDataSourceAutoConfiguration.class,
		before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RoutingDataSource.class)
public final class RoutingHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "routingHealthIndicator", "routingHealthContributor" })
	@ConditionalOnEnabledHealthIndicator("routing")
	RoutingHealthContributor routingHealthContributor(DataSource dataSource) {
		return new RoutingHealthContributor(RoutingDataSource.required(dataSource).getTopology());
	}

	@Bean
	@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
	@ConditionalOnEnabledHealthIndicator("db")
	@ConditionalOnSingleCandidate(DataSource.class)
	WriterHealthIndicator dbHealthIndicator(DataSource dataSource) {
		return new WriterHealthIndicator(RoutingDataSource.required(dataSource).getTopology());
	}

}
