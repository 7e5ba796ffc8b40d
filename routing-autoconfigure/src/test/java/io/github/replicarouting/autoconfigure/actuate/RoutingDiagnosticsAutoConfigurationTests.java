package io.github.replicarouting.autoconfigure.actuate;

import javax.sql.DataSource;

import io.github.replicarouting.actuate.RoutingDecisionLogger;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class RoutingDiagnosticsAutoConfigurationTests {

	private static final String DEFEATED = "Routing is defeated";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, RoutingDiagnosticsAutoConfiguration.class))
		.withPropertyValues(ClusterProperties.of());

	@Test
	void logsEveryDecisionAtDebug(CapturedOutput output) {
		// As Boot's logging.level.* does before the context starts.
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel(RoutingDecisionLogger.class.getName(), LogLevel.DEBUG);
		try {
			this.contextRunner.run((context) -> {
				assertThat(context).hasSingleBean(RoutingDecisionLogger.class);
				new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT 1", Integer.class);
			});
		}
		finally {
			logging.setLogLevel(RoutingDecisionLogger.class.getName(), null);
		}
		assertThat(output).contains("Connection from 'primary' (primary, default)");
	}

	@Test
	void registersNoDecisionLoggerWhenItsLogIsOffAtStartup() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RoutingDecisionLogger.class);
		});
	}

	@Test
	void warnsWhenTheRoutingInterceptorRunsInsideTransactions(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(TransactionsFirstConfiguration.class)
			.withPropertyValues("routing.datasource.interceptor-order=" + Integer.MAX_VALUE)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce(DEFEATED)
			.contains("Set routing.datasource.interceptor-order below " + Integer.MAX_VALUE);
	}

	@Test
	void saysNothingWithTheDefaultOrder(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(TransactionsFirstConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(DEFEATED);
	}

	@Test
	void warnsWhenOpenInViewMeetsAConnectionHandlingModeThatHolds(CapturedOutput output) {
		jpaWebApplication()
			.withPropertyValues("spring.jpa.properties.hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_HOLD")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce(DEFEATED)
			.contains("hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_HOLD")
			.contains("or set spring.jpa.open-in-view=false");
	}

	@Test
	void saysNothingAboutOpenInViewWithTheStartersHandlingMode(CapturedOutput output) {
		jpaWebApplication().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(DEFEATED);
	}

	@Test
	void saysNothingAboutAHoldingModeWithoutOpenInView(CapturedOutput output) {
		jpaWebApplication()
			.withPropertyValues("spring.jpa.properties.hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_HOLD",
					"spring.jpa.open-in-view=false")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(DEFEATED);
	}

	private WebApplicationContextRunner jpaWebApplication() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
					DataSourceAutoConfiguration.class, TransactionAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, RoutingDiagnosticsAutoConfiguration.class))
			.withPropertyValues(ClusterProperties.of())
			.withPropertyValues("spring.jpa.database-platform=org.hibernate.dialect.MariaDBDialect");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionsFirstConfiguration {

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

}
