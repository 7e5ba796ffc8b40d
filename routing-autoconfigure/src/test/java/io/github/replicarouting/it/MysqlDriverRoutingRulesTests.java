package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routing rules through mysql JDBC URLs (MySQL Connector/J).
 */
class MysqlDriverRoutingRulesTests extends RoutingRulesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mysql");
	}

}
