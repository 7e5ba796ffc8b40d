package io.github.replicarouting.compat;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.test.WithReplicationCluster;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The starter with MyBatis ({@code mybatis-spring-boot-starter}, mappers on Spring's transactions):
 * {@code @ReadOnly} service methods read on a replica, the others run on the primary (asked of the server).
 */
@WithReplicationCluster
class MyBatisTests {

	@Test
	void readOnlyServiceMethodsRouteToReplicas() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(CompatCluster.properties())
			.run()) {
			MyBatisItems items = context.getBean(MyBatisItems.class);
			Routes.assertReadsOnReplicasWritesOnPrimary(items::serverIdReadOnly, items::serverIdReadWrite);
			Routes.assertWriteOnPrimaryReadBackOnReplica("mybatis_item", items::insert, items::countReadOnly);
		}
	}

	@Mapper
	interface MyBatisItemMapper {

		@Select("SELECT @@server_id")
		long serverId();

		@Insert("INSERT INTO mybatis_item (name) VALUES (#{name})")
		int insert(String name);

		@Select("SELECT COUNT(*) FROM mybatis_item WHERE name = #{name}")
		long countByName(String name);

	}

	static class MyBatisItems {

		private final MyBatisItemMapper mapper;

		MyBatisItems(MyBatisItemMapper mapper) {
			this.mapper = mapper;
		}

		@ReadOnly
		@Transactional
		public long serverIdReadOnly() {
			return this.mapper.serverId();
		}

		@Transactional
		public long serverIdReadWrite() {
			return this.mapper.serverId();
		}

		@Transactional
		public long insert(String name) {
			this.mapper.insert(name);
			return this.mapper.serverId();
		}

		@ReadOnly
		@Transactional
		public long countReadOnly(String name) {
			return this.mapper.countByName(name);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		static String myBatisItemTable(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS mybatis_item (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
					+ "name VARCHAR(255) NOT NULL)");
			return "mybatis_item";
		}

		@Bean
		MyBatisItems myBatisItems(MyBatisItemMapper mapper) {
			return new MyBatisItems(mapper);
		}

	}

}
