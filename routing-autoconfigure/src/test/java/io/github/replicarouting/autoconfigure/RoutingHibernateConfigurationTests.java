package io.github.replicarouting.autoconfigure;

import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class RoutingHibernateConfigurationTests {

	private static final String HANDLING_MODE = "hibernate.connection.handling_mode";

	private final ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class))
		.withPropertyValues("routing.datasource.primary.url=" + this.cluster.primary().jdbcUrl(),
				"routing.datasource.primary.username=" + this.cluster.username(),
				"routing.datasource.primary.password=" + this.cluster.password(),
				"spring.jpa.database-platform=org.hibernate.dialect.MariaDBDialect");

	@Test
	void routingReleasesConnectionsAfterEachTransactionAndHandlesIsolationLevels(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			LocalContainerEntityManagerFactoryBean factory = context
				.getBean(LocalContainerEntityManagerFactoryBean.class);
			assertThat(factory.getJpaPropertyMap()).containsEntry(HANDLING_MODE,
					"DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION");
			assertThat(factory.getJpaDialect()).isInstanceOf(RoutingHibernateJpaDialect.class);
		});
		assertThat(output).doesNotContain(HANDLING_MODE);
	}

	@Test
	void leavesHibernateAloneWhenTheUserDefinesADataSource() {
		this.contextRunner.withUserConfiguration(UserDataSourceConfiguration.class).run((context) -> {
			LocalContainerEntityManagerFactoryBean factory = context
				.getBean(LocalContainerEntityManagerFactoryBean.class);
			assertThat(factory.getJpaPropertyMap()).hasEntrySatisfying(HANDLING_MODE, bootsDefault());
			assertThat(factory.getJpaDialect()).isExactlyInstanceOf(HibernateJpaDialect.class);
		});
	}

	@Test
	void leavesHibernateAloneWhenRoutingIsDisabled() {
		this.contextRunner
			.withPropertyValues("routing.datasource.enabled=false",
					"spring.datasource.url=" + this.cluster.primary().jdbcUrl(),
					"spring.datasource.username=" + this.cluster.username(),
					"spring.datasource.password=" + this.cluster.password())
			.run((context) -> {
				LocalContainerEntityManagerFactoryBean factory = context
					.getBean(LocalContainerEntityManagerFactoryBean.class);
				assertThat(factory.getJpaPropertyMap()).hasEntrySatisfying(HANDLING_MODE, bootsDefault());
				assertThat(factory.getJpaDialect()).isExactlyInstanceOf(HibernateJpaDialect.class);
			});
	}

	@Test
	void keepsTheUsersHandlingModeAndSaysOnceWhatItCosts(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.jpa.properties." + HANDLING_MODE + "=DELAYED_ACQUISITION_AND_HOLD")
			.run((context) -> {
				LocalContainerEntityManagerFactoryBean factory = context
					.getBean(LocalContainerEntityManagerFactoryBean.class);
				assertThat(factory.getJpaPropertyMap()).containsEntry(HANDLING_MODE, "DELAYED_ACQUISITION_AND_HOLD");
				assertThat(factory.getJpaDialect()).isInstanceOf(RoutingHibernateJpaDialect.class);
			});
		String warning = HANDLING_MODE + "=DELAYED_ACQUISITION_AND_HOLD is set";
		assertThat(output).contains(warning).contains("open-in-view");
		assertThat(output.toString().split(Pattern.quote(warning), -1)).hasSize(2);
	}

	private static Consumer<Object> bootsDefault() {
		return (mode) -> assertThat(mode).hasToString("DELAYED_ACQUISITION_AND_HOLD");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		DataSource userDataSource() {
			ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();
			return new DriverManagerDataSource(cluster.primary().jdbcUrl(), cluster.username(), cluster.password());
		}

	}

}
