package io.github.replicarouting.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.autoconfigure.actuate.RoutingDiagnosticsAutoConfiguration;
import io.github.replicarouting.autoconfigure.actuate.RoutingEndpointAutoConfiguration;
import io.github.replicarouting.autoconfigure.actuate.RoutingHealthContributorAutoConfiguration;
import io.github.replicarouting.autoconfigure.actuate.RoutingMetricsAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the starter steps aside, and that it then leaves nothing of its own in the context. No server is involved:
 * the nodes are in-memory H2 databases, or URLs nothing is listening on.
 */
@ExtendWith(OutputCaptureExtension.class)
class RoutingStepsAsideTests {

	private static final String INACTIVE = "Routing is inactive";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				RoutingHealthContributorAutoConfiguration.class,
				RoutingEndpointAutoConfiguration.class, RoutingMetricsAutoConfiguration.class,
				RoutingDiagnosticsAutoConfiguration.class));

	@Test
	void withoutRoutingConfigurationBootsEmbeddedDataSourceIsUsedAndStartupSaysSoOnce(CapturedOutput output) {
		withBootsDataSource().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl()).startsWith("jdbc:h2:mem:");
			assertThat(ours(context)).isEmpty();
		});
		List<String> lines = output.getAll().lines().filter((line) -> line.contains(INACTIVE)).toList();
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).contains(" INFO ")
			.contains("routing.datasource.replicas.<name>.url")
			.contains("spring.datasource.url");
	}

	@Test
	void withoutRoutingConfigurationSpringDatasourceUrlIsUsedAsIs() {
		withBootsDataSource().withPropertyValues("spring.datasource.url=jdbc:h2:mem:steps-aside-boot").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
			assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl())
				.isEqualTo("jdbc:h2:mem:steps-aside-boot");
			assertThat(ours(context)).isEmpty();
		});
	}

	@Test
	void routingConfigurationIsEnoughToBeActive() {
		withNodes(withBootsDataSource()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
			assertThat(ours(context)).isNotEmpty();
		});
	}

	/**
	 * Boot's DataSourceAutoConfiguration is left out of these contexts, as the exclusion leaves it out of an
	 * application's.
	 */
	@Test
	void excludingDataSourceAutoConfigurationMeansNoDataSource() {
		withNodes(this.contextRunner).withUserConfiguration(ExcludesDataSourceAutoConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
			assertThat(ours(context)).isEmpty();
		});
	}

	@Test
	void excludingDataSourceAutoConfigurationByPropertyMeansNoDataSource() {
		withNodes(this.contextRunner).withUserConfiguration(ImportsNothing.class)
			.withPropertyValues("spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName())
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
				assertThat(ours(context)).isEmpty();
			});
	}

	@Test
	void withTheApplicationsOwnDataSourceNothingOfOursIsActive() {
		withNodes(withBootsDataSource()).withUserConfiguration(UserDataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).hasBean("userDataSource");
			assertThat(ours(context)).isEmpty();
		});
	}

	@Test
	void whenDisabledNothingOfOursIsActive() {
		withNodes(withBootsDataSource())
			.withPropertyValues("routing.datasource.enabled=false", "spring.datasource.url=jdbc:h2:mem:disabled")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
				assertThat(ours(context)).isEmpty();
			});
	}

	private WebApplicationContextRunner withBootsDataSource() {
		return this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class));
	}

	private static WebApplicationContextRunner withNodes(WebApplicationContextRunner runner) {
		return runner.withPropertyValues("routing.datasource.primary.url=jdbc:h2:mem:steps-aside-primary",
				"routing.datasource.primary.username=sa",
				"routing.datasource.replicas.replica-1.url=jdbc:h2:mem:steps-aside-replica-1");
	}

	/**
	 * Names of the beans the starter contributed: of one of its types, or made by one of its configurations (the
	 * Hibernate customizer is a lambda).
	 */
	private static List<String> ours(AssertableWebApplicationContext context) {
		return Arrays.stream(context.getBeanDefinitionNames()).filter((name) -> {
			Class<?> type = context.getType(name);
			BeanDefinition definition = context.getBeanFactory().getBeanDefinition(name);
			return isOurs((type != null) ? type.getName() : null) || isOurs(definition.getFactoryBeanName())
					|| isOurs(definition.getBeanClassName());
		}).toList();
	}

	private static boolean isOurs(String name) {
		return name != null && name.startsWith("io.github.replicarouting.")
				&& !name.startsWith(RoutingStepsAsideTests.class.getName());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
	static class ExcludesDataSourceAutoConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration
	static class ImportsNothing {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		DataSource userDataSource() {
			return new DriverManagerDataSource("jdbc:h2:mem:steps-aside-user");
		}

	}

}
