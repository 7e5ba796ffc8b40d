package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary because no replica is reachable, through MySQL Connector/J.
 */
class MysqlDriverFallbackReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mysql", true);
		withoutReachableReplicas(registry, "mysql");
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.FALLBACK;
	}

}
