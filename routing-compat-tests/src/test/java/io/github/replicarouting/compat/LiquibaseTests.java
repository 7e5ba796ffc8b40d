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
 * The starter with Liquibase updating at startup through the routing {@code DataSource}: the change sets run once, on
 * the primary, and the replicas get the schema and the history through replication. A second start finds nothing to
 * do. Routing is unchanged afterwards (asked of the server).
 */
@WithReplicationCluster
class LiquibaseTests {

	private static final String[] LIQUIBASE = { "spring.liquibase.enabled=true",
			"spring.liquibase.change-log=classpath:compat/liquibase/changelog.sql",
			"spring.liquibase.database-change-log-table=compat_lb_changelog",
			"spring.liquibase.database-change-log-lock-table=compat_lb_changelog_lock" };

	@Test
	void migratesOnThePrimaryOnceAndReplicasFollow() {
		for (int start = 0; start < 2; start++) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.properties(CompatCluster.properties(LIQUIBASE))
				.run()) {
				Migrations.assertMigratedOnPrimaryOnly("liquibase_item", "compat_lb_changelog",
						"EXECTYPE = 'EXECUTED'", 2);
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
