package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary because no replica is reachable, through MariaDB Connector/J.
 */
class MariadbDriverFallbackReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mariadb", true);
		withoutReachableReplicas(registry, "mariadb");
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.FALLBACK;
	}

}
