package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary after a write no replica can have (causal read-your-writes), through MySQL Connector/J.
 */
class MysqlDriverCausalReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mysql", true);
		withoutReachableReplicas(registry, "mysql");
		registry.add("routing.datasource.read-your-writes", () -> "causal");
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.CAUSAL;
	}

}
