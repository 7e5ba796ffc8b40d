package io.github.replicarouting.compat;

import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter with Flyway migrating at startup through the routing {@code DataSource}: the migrations run once, on
 * the primary, and the replicas get the schema and the history through replication. A second start finds nothing to
 * do. Routing is unchanged afterwards (asked of the server).
 */
@WithReplicationCluster
class FlywayTests {

	private static final String[] FLYWAY = { "spring.flyway.enabled=true",
			"spring.flyway.locations=classpath:compat/flyway", "spring.flyway.table=compat_flyway_history",
			// The schema already holds other tests' tables, as an application's often does when it adopts Flyway.
			"spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0" };

	@Test
	void migratesOnThePrimaryOnceAndReplicasFollow() {
		for (int start = 0; start < 2; start++) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.properties(CompatCluster.properties(FLYWAY))
				.run()) {
				Migrations.assertMigratedOnPrimaryOnly("flyway_item", "compat_flyway_history",
						"success = 1 AND type = 'SQL'", 2);
				ServerIdService service = context.getBean(ServerIdService.class);
				assertThat(CompatCluster.isReplica(service.readOnly())).isTrue();
				assertThat(CompatCluster.isPrimary(service.readWrite())).isTrue();
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		ServerIdService serverIdService(JdbcTemplate jdbc) {
			return new ServerIdService(jdbc);
		}

	}

}
