package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Isolation levels through mariadb JDBC URLs (MariaDB Connector/J).
 */
class MariadbDriverIsolationLevelTests extends IsolationLevelTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
	}

}
