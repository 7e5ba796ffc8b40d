package io.github.replicarouting.compat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.github.replicarouting.test.WithReplicationCluster;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter with {@code net.ttddyy:datasource-proxy} wrapped around the {@code DataSource} bean the way its
 * documentation shows (a {@code BeanPostProcessor} and {@code ProxyDataSourceBuilder}): the application starts,
 * reads go to replicas and writes to the primary (asked of the server), and the listener sees every statement.
 */
@WithReplicationCluster
class DatasourceProxyTests {

	@Test
	void routesAndListensToEveryStatement() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(CompatCluster.properties())
			.run()) {
			ServerIdService service = context.getBean(ServerIdService.class);
			ProxyQueries queries = context.getBean(ProxyQueries.class);
			queries.queries.clear();
			for (int i = 0; i < 3; i++) {
				assertThat(CompatCluster.isReplica(service.readOnly())).isTrue();
				assertThat(CompatCluster.isPrimary(service.readWrite())).isTrue();
			}
			assertThat(queries.queries).hasSize(6).allMatch((query) -> query.contains("@@server_id"));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		ServerIdService serverIdService(JdbcTemplate jdbc) {
			return new ServerIdService(jdbc);
		}

		@Bean
		static ProxyQueries proxyQueries() {
			return new ProxyQueries();
		}

		@Bean
		static BeanPostProcessor datasourceProxy(ProxyQueries queries) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource dataSource)) {
						return bean;
					}
					return ProxyDataSourceBuilder.create(beanName, dataSource)
						.afterQuery((execution, infos) -> infos.stream().map(QueryInfo::getQuery).forEach(queries.queries::add))
						.build();
				}

			};
		}

	}

	/**
	 * The SQL of every statement datasource-proxy reports after it ran.
	 */
	static class ProxyQueries {

		final List<String> queries = new CopyOnWriteArrayList<>();

	}

}
