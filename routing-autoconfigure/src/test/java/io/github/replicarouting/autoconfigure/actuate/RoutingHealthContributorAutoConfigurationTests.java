package io.github.replicarouting.autoconfigure.actuate;

import io.github.replicarouting.actuate.RoutingHealthContributor;
import io.github.replicarouting.actuate.WriterHealthIndicator;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.test.ReplicationClusterExtension;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
class RoutingHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class, RoutingHealthContributorAutoConfiguration.class))
		.withPropertyValues(ClusterProperties.of());

	@Test
	void contributesRoutingHealthAndReplacesBootsDbHealth() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RoutingHealthContributor.class);
			assertThat(context).hasBean("routingHealthContributor");
			assertThat(context.getBean("dbHealthIndicator")).isInstanceOf(WriterHealthIndicator.class);
			assertThat(context).doesNotHaveBean("dbHealthContributor").doesNotHaveBean(DataSourceHealthIndicator.class);
			assertThat(context.getBean("dbHealthIndicator", HealthIndicator.class).health().getDetails())
				.containsEntry("writer", "primary");
		});
	}

	@Test
	void routingHealthCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.routing.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RoutingHealthContributor.class)
				.hasSingleBean(WriterHealthIndicator.class));
	}

	@Test
	void dbHealthCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.db.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(RoutingHealthContributor.class)
				.doesNotHaveBean(WriterHealthIndicator.class)
				.doesNotHaveBean(DataSourceHealthIndicator.class));
	}

	@Test
	void backsOffForUserContributors() {
		this.contextRunner.withUserConfiguration(UserHealthConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(RoutingHealthContributor.class)
				.doesNotHaveBean(WriterHealthIndicator.class);
			assertThat(context.getBean("routingHealthContributor")).isInstanceOf(PingHealthIndicator.class);
		});
	}

	@Test
	void absentWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RoutingHealthContributor.class)
				.doesNotHaveBean(WriterHealthIndicator.class));
	}

	@Test
	void absentWithoutTheRoutingDataSource() {
		this.contextRunner
			.withPropertyValues("routing.datasource.enabled=false",
					"spring.datasource.url=" + ReplicationClusterExtension.sharedCluster().primary().jdbcUrl())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RoutingHealthContributor.class)
					.doesNotHaveBean(WriterHealthIndicator.class);
				assertThat(context.getBean("dbHealthContributor")).isInstanceOf(DataSourceHealthIndicator.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthConfiguration {

		@Bean
		PingHealthIndicator routingHealthContributor() {
			return new PingHealthIndicator();
		}

		@Bean
		PingHealthIndicator dbHealthContributor() {
			return new PingHealthIndicator();
		}

	}

}
