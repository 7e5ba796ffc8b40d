package io.github.replicarouting.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Ticketing sample application. Without {@code routing.datasource.primary.url} it starts an embedded MariaDB primary
 * with two replicas, so it runs without any database installed.
 *
 * @since 0.1.0
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
