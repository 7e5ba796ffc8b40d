package io.github.replicarouting.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrapper around the routing {@code DataSource} bean that hides it from unwrapping leaves the monitor and the
 * advisor nothing to work with: one WARN at startup says so and what to do, and only then. The nodes are in-memory H2
 * databases; this is about what the application is told.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreachableRouterWarningTests {

	private static final String WARNING = "does not unwrap to it";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues("routing.datasource.primary.url=jdbc:h2:mem:unreachable-primary",
				"routing.datasource.primary.username=sa",
				"routing.datasource.replicas.replica-1.url=jdbc:h2:mem:unreachable-replica-1");

	@Test
	void wrapperThatHidesTheRouterIsReportedOnceAtStartup(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(OpaqueWrapping.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(RoutingDataSource.from(context.getBean(DataSource.class))).isNull();
			assertThat(context.getBean(TopologyMonitorLifecycle.class).isRunning()).isFalse();
			context.stop();
			context.start();
		});
		assertThat(output.getAll().lines().filter((line) -> line.contains(WARNING))).singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ")
				.contains(OpaqueDataSource.class.getName())
				.contains("routing DataSource bean 'dataSource'")
				.contains("@ReadOnly/@UsePrimary route nothing")
				.contains("delegate DataSource.unwrap and isWrapperFor"));
	}

	@Test
	void wrapperThatUnwrapsToTheRouterIsNotReported(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(DelegatingWrapping.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataSource.class)).isNotInstanceOf(RoutingDataSource.class);
			assertThat(context.getBean(TopologyMonitorLifecycle.class).isRunning()).isTrue();
		});
		assertThat(output.getAll()).doesNotContain(WARNING);
	}

	@Test
	void routerReplacedByATestDatabaseIsNotReported(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ReplacedByTestDatabase.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context.getBean(TopologyMonitorLifecycle.class).isRunning()).isFalse();
		});
		assertThat(output.getAll()).doesNotContain(WARNING);
	}

	/**
	 * Instrumentation that forwards connections but answers {@code unwrap}/{@code isWrapperFor} for itself only.
	 */
	static class OpaqueDataSource extends DelegatingDataSource {

		OpaqueDataSource(DataSource target) {
			super(target);
		}

		@Override
		public <T> T unwrap(Class<T> iface) throws SQLException {
			if (iface.isInstance(this)) {
				return iface.cast(this);
			}
			throw new SQLException("Not a wrapper for " + iface.getName());
		}

		@Override
		public boolean isWrapperFor(Class<?> iface) {
			return iface.isInstance(this);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OpaqueWrapping {

		@Bean
		static BeanPostProcessor opaqueWrapper() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof RoutingDataSource routing) ? new OpaqueDataSource(routing) : bean;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DelegatingWrapping {

		@Bean
		static BeanPostProcessor delegatingWrapper() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof RoutingDataSource routing) ? new DelegatingDataSource(routing) : bean;
				}

			};
		}

	}

	/**
	 * What {@code @AutoConfigureTestDatabase} does: the {@code dataSource} definition is replaced by another one.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ReplacedByTestDatabase {

		@Bean
		static BeanDefinitionRegistryPostProcessor testDatabase() {
			return new BeanDefinitionRegistryPostProcessor() {

				@Override
				public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
					registry.removeBeanDefinition("dataSource");
					registry.registerBeanDefinition("dataSource",
							new RootBeanDefinition(HikariDataSource.class, () -> {
								HikariDataSource dataSource = new HikariDataSource();
								dataSource.setJdbcUrl("jdbc:h2:mem:unreachable-test-database");
								dataSource.setUsername("sa");
								return dataSource;
							}));
				}

			};
		}

	}

}
