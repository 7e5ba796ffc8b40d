package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routing rules through mariadb JDBC URLs (MariaDB Connector/J).
 */
class MariadbDriverRoutingRulesTests extends RoutingRulesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
	}

}
