package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary because no replica is configured, through MariaDB Connector/J.
 */
class MariadbDriverNoReplicaReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mariadb", false);
	}

	@Override
	RoutingReason reason() {
		return RoutingReason.NO_REPLICA;
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.NO_REPLICA;
	}

}
