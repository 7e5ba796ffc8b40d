package io.github.replicarouting.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Ticketing sample application. Without {@code routing.datasource.primary.url} it starts an embedded MariaDB primary
 * with two replicas, so it runs without any database installed.
 *
 * <p>Scheduling is on for the live page, which samples each node's traffic once a second.
 *
 * @since 0.1.0
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
