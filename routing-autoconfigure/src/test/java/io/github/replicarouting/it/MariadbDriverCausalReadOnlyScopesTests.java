package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary after a write no replica can have (causal read-your-writes), through MariaDB Connector/J.
 */
class MariadbDriverCausalReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mariadb", true);
		withoutReachableReplicas(registry, "mariadb");
		registry.add("routing.datasource.read-your-writes", () -> "causal");
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.CAUSAL;
	}

}
