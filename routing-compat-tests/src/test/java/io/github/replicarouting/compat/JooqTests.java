package io.github.replicarouting.compat;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.test.WithReplicationCluster;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

/**
 * The starter with jOOQ (Boot's {@code DSLContext}, on Spring's transactions): {@code @ReadOnly} service methods read
 * on a replica, the others run on the primary (asked of the server).
 */
@WithReplicationCluster
class JooqTests {

	@Test
	void readOnlyServiceMethodsRouteToReplicas() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(CompatCluster.properties())
			.run()) {
			JooqItems items = context.getBean(JooqItems.class);
			Routes.assertReadsOnReplicasWritesOnPrimary(items::serverIdReadOnly, items::serverIdReadWrite);
			Routes.assertWriteOnPrimaryReadBackOnReplica("jooq_item", items::insert, items::countReadOnly);
		}
	}

	static class JooqItems {

		private final DSLContext dsl;

		JooqItems(DSLContext dsl) {
			this.dsl = dsl;
		}

		@ReadOnly
		@Transactional
		public long serverIdReadOnly() {
			return serverId();
		}

		@Transactional
		public long serverIdReadWrite() {
			return serverId();
		}

		@Transactional
		public long insert(String name) {
			this.dsl.insertInto(table("jooq_item")).set(field("name"), name).execute();
			return serverId();
		}

		@ReadOnly
		@Transactional
		public long countReadOnly(String name) {
			return this.dsl.fetchCount(table("jooq_item"), field("name").eq(name));
		}

		private long serverId() {
			return this.dsl.resultQuery("SELECT @@server_id").fetchSingle(0, Long.class);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		static String jooqItemTable(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS jooq_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
					+ "name VARCHAR(255) NOT NULL)");
			return "jooq_item";
		}

		@Bean
		JooqItems jooqItems(DSLContext dsl) {
			return new JooqItems(dsl);
		}

	}

}
