package io.github.replicarouting.sample.embedded;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedClusterEnvironmentPostProcessor} in the cases where it must not start a cluster (the
 * integration tests cover the one where it does).
 */
class EmbeddedClusterEnvironmentPostProcessorTests {

	private final EmbeddedClusterEnvironmentPostProcessor postProcessor = new EmbeddedClusterEnvironmentPostProcessor(
			(log) -> log.get());

	private final SpringApplication application = new SpringApplication();

	@Test
	void configuredPrimaryIsUsed() {
		MockEnvironment environment = new MockEnvironment().withProperty("routing.datasource.primary.url",
				"jdbc:mysql://db-primary:3306/tickets");

		this.postProcessor.postProcessEnvironment(environment, this.application);

		assertNoClusterStarted(environment);
	}

	@Test
	void primaryFromEnvironmentVariableIsUsed() {
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("ROUTING_DATASOURCE_PRIMARY_URL", "jdbc:mysql://db-primary:3306/tickets")));

		this.postProcessor.postProcessEnvironment(environment, this.application);

		assertNoClusterStarted(environment);
	}

	@Test
	void disabledByProperty() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty(EmbeddedClusterEnvironmentPostProcessor.ENABLED_PROPERTY, "false");

		this.postProcessor.postProcessEnvironment(environment, this.application);

		assertNoClusterStarted(environment);
	}

	private void assertNoClusterStarted(MockEnvironment environment) {
		assertThat(environment.getPropertySources()
			.contains(EmbeddedClusterEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(this.application.getListeners()).noneMatch(EmbeddedClusterLifecycle.class::isInstance);
		assertThat(environment.getActiveProfiles()).doesNotContain(EmbeddedClusterEnvironmentPostProcessor.PROFILE);
	}

}
