package io.github.replicarouting.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's configuration files as Boot loads them: the {@code external} profile points at the user's own
 * databases, so Hibernate must not change their schema there.
 */
class ExternalProfileTests {

	@Test
	void externalProfileDoesNotLetHibernateChangeTheSchema() {
		StandardEnvironment environment = load("external");
		assertThat(environment.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("none");
	}

	@Test
	void embeddedClusterStillGetsItsTablesFromHibernate() {
		StandardEnvironment environment = load();
		assertThat(environment.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("update");
	}

	private static StandardEnvironment load(String... profiles) {
		StandardEnvironment environment = new StandardEnvironment();
		ConfigDataEnvironmentPostProcessor.applyTo(environment, new DefaultResourceLoader(),
				new DefaultBootstrapContext(), profiles);
		return environment;
	}

}
