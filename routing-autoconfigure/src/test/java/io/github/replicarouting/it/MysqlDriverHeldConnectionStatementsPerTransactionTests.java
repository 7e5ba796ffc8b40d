package io.github.replicarouting.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Statements per read-only transaction through mysql JDBC URLs with the Hibernate connection handling mode a user may
 * choose (Boot's own default), which holds the connection: Spring's JPA dialect then marks each read-only
 * transaction's connection read-only and resets it afterwards.
 */
class MysqlDriverHeldConnectionStatementsPerTransactionTests extends StatementsPerTransactionTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mysql");
		registry.add("spring.jpa.properties.hibernate.connection.handling_mode",
				() -> "DELAYED_ACQUISITION_AND_HOLD");
	}

	@Override
	String scheme() {
		return "mysql";
	}

}
