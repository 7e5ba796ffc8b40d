package io.github.replicarouting.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a user sees when an application with bad routing settings starts: Boot's failure report, not a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void replicasWithoutAPrimaryUrl(CapturedOutput output) {
		start("--routing.datasource.replicas.replica-1.url=jdbc:mysql://127.0.0.1:3307/app");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No primary database is configured: routing.datasource.primary.url is not set.")
			.contains("Set routing.datasource.primary.url");
	}

	@Test
	void replicaWithoutUrl(CapturedOutput output) {
		start("--routing.datasource.primary.url=jdbc:mysql://127.0.0.1:3306/app",
				"--routing.datasource.replicas.replica-1.weight=2");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Replica 'replica-1' has no URL: routing.datasource.replicas.replica-1.url is not set.");
	}

	@Test
	void unknownLoadBalancingName(CapturedOutput output) {
		start("--routing.datasource.primary.url=jdbc:mysql://127.0.0.1:3306/app",
				"--routing.datasource.load-balancing=fastest");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("routing.datasource.load-balancing")
			.contains("fastest")
			.contains("ROUND_ROBIN")
			.contains("LEAST_CONNECTIONS");
	}

	@Test
	void discoveryWithAPrimaryUrlOfSeveralHosts(CapturedOutput output) {
		start("--routing.datasource.primary.url=jdbc:mysql://127.0.0.1:1,127.0.0.1:2/app",
				"--routing.datasource.discovery.enabled=true");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("does not have one host and port to replace")
			.contains("Set routing.datasource.discovery.replica.url, e.g. jdbc:mariadb://{host}:{port}/mydb.");
	}

	@Test
	void discoveryTemplateWithoutHostPlaceholder(CapturedOutput output) {
		start("--routing.datasource.primary.url=jdbc:mysql://127.0.0.1:3306/app",
				"--routing.datasource.discovery.enabled=true",
				"--routing.datasource.discovery.replica.url=jdbc:mysql://10.0.0.9:3306/app");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("routing.datasource.discovery.replica.url has no {host} placeholder");
	}

	private static void start(String... args) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(args));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RoutingDataSourceAutoConfiguration.class)
	static class MinimalApplication {

	}

}
