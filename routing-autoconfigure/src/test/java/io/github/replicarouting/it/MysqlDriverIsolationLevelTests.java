package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Isolation levels through mysql JDBC URLs (MySQL Connector/J).
 */
class MysqlDriverIsolationLevelTests extends IsolationLevelTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mysql");
	}

}
