package io.github.replicarouting.compat;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.repository.CrudRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The starter with Spring Data JDBC repositories: {@code @ReadOnly} service methods read on a replica, the others
 * run on the primary (asked of the server).
 */
@WithReplicationCluster
class SpringDataJdbcTests {

	@Test
	void readOnlyServiceMethodsRouteToReplicas() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(CompatCluster.properties())
			.run()) {
			DataJdbcItems items = context.getBean(DataJdbcItems.class);
			Routes.assertReadsOnReplicasWritesOnPrimary(items::serverIdReadOnly, items::serverIdReadWrite);
			Routes.assertWriteOnPrimaryReadBackOnReplica("data_jdbc_item", items::save, items::countReadOnly);
		}
	}

	@Table("data_jdbc_item")
	record DataJdbcItem(@Id Long id, String name) {
	}

	interface DataJdbcItemRepository extends CrudRepository<DataJdbcItem, Long> {

		@Query("SELECT @@server_id")
		long serverId();

		@Query("SELECT COUNT(*) FROM data_jdbc_item WHERE name = :name")
		long countByName(String name);

	}

	static class DataJdbcItems {

		private final DataJdbcItemRepository repository;

		DataJdbcItems(DataJdbcItemRepository repository) {
			this.repository = repository;
		}

		@ReadOnly
		@Transactional
		public long serverIdReadOnly() {
			return this.repository.serverId();
		}

		@Transactional
		public long serverIdReadWrite() {
			return this.repository.serverId();
		}

		@Transactional
		public long save(String name) {
			this.repository.save(new DataJdbcItem(null, name));
			return this.repository.serverId();
		}

		@ReadOnly
		@Transactional
		public long countReadOnly(String name) {
			return this.repository.countByName(name);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	// The repository is nested in this test: found here only, not by the other tests' applications.
	@EnableJdbcRepositories(considerNestedRepositories = true, basePackageClasses = SpringDataJdbcTests.class)
	static class Application {

		@Bean
		static String dataJdbcItemTable(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS data_jdbc_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
					+ "name VARCHAR(255) NOT NULL)");
			return "data_jdbc_item";
		}

		@Bean
		DataJdbcItems dataJdbcItems(DataJdbcItemRepository repository) {
			return new DataJdbcItems(repository);
		}

	}

}
