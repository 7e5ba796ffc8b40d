package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Session-level read-only through mysql JDBC URLs.
 */
class MysqlDriverSessionReadOnlyTests extends SessionReadOnlyTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrimaryAsReplica(registry, "mysql");
	}

}
