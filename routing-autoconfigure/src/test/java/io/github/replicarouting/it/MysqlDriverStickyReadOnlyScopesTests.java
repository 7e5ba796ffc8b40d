package io.github.replicarouting.it;

import io.github.replicarouting.routing.RoutingReason;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read-only scopes served by the primary after a write (sticky read-your-writes), through MySQL Connector/J.
 */
class MysqlDriverStickyReadOnlyScopesTests extends WriterReadOnlyScopesTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrivileged(registry, "mysql", true);
		withoutReachableReplicas(registry, "mysql");
		registry.add("routing.datasource.read-your-writes", () -> "sticky");
		registry.add("routing.datasource.sticky-window", () -> "1m");
	}

	@Override
	RoutingReason reasonAfterAWrite() {
		return RoutingReason.STICKY;
	}

}
