package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Session-level read-only through mariadb JDBC URLs.
 */
class MariadbDriverSessionReadOnlyTests extends SessionReadOnlyTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrimaryAsReplica(registry, "mariadb");
	}

}
