package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Statements per read-only transaction, counted by the servers, through mariadb JDBC URLs.
 */
class MariadbDriverStatementsPerTransactionTests extends StatementsPerTransactionTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
	}

	@Override
	String scheme() {
		return "mariadb";
	}

}
