package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Statements per read-only transaction, counted by the servers, through mysql JDBC URLs.
 */
class MysqlDriverStatementsPerTransactionTests extends StatementsPerTransactionTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mysql");
	}

	@Override
	String scheme() {
		return "mysql";
	}

}
