package io.github.replicarouting.it;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session-level read-only through MySQL Connector/J when the user sets a {@code connection-init-sql} of their own (for every
 * pool, and another for replica-2), as the account with every privilege: both the user's init SQL and the session's
 * read-only mode apply.
 */
class MysqlDriverUserInitSqlSessionReadOnlyTests extends SessionReadOnlyTests {

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registerPrimaryAsReplica(registry, "mysql");
		registry.add("routing.datasource.primary.username", cluster::adminUsername);
		registry.add("routing.datasource.primary.password", cluster::adminPassword);
		registry.add("routing.datasource.hikari.connection-init-sql", () -> "SET @app_init = 'applied'");
		registry.add("routing.datasource.replicas.replica-2.hikari.connection-init-sql",
				() -> "SET @app_init = 'replica-2'");
	}

	@Test
	void theUsersInitSqlRanOnEveryReplicaPool() {
		Set<String> markers = new TreeSet<>();
		for (int i = 0; i < 4; i++) {
			markers.add(this.serverIds.userInitSqlMarker());
		}
		assertThat(markers).containsExactly("applied", "replica-2");
	}

}
