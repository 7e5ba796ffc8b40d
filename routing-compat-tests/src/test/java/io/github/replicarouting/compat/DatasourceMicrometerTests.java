package io.github.replicarouting.compat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.replicarouting.test.WithReplicationCluster;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import net.ttddyy.observation.tracing.QueryContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter with {@code net.ttddyy.observation:datasource-micrometer-spring-boot}, which wraps the
 * {@code DataSource} bean in a JDK proxy: the application starts, reads go to replicas and writes to the primary
 * (asked of the server), and an observation is recorded for every statement.
 */
@WithReplicationCluster
class DatasourceMicrometerTests {

	@Test
	void routesAndObservesEveryStatement() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(CompatCluster.properties())
			.run()) {
			ServerIdService service = context.getBean(ServerIdService.class);
			QueryObservations observations = context.getBean(QueryObservations.class);
			observations.queries.clear();
			for (int i = 0; i < 3; i++) {
				assertThat(CompatCluster.isReplica(service.readOnly())).isTrue();
				assertThat(CompatCluster.isPrimary(service.readWrite())).isTrue();
			}
			assertThat(observations.queries).hasSize(6).allMatch((query) -> query.contains("@@server_id"));
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
		QueryObservations queryObservations() {
			return new QueryObservations();
		}

	}

	/**
	 * Records the SQL of every query observation datasource-micrometer stops.
	 */
	static class QueryObservations implements ObservationHandler<QueryContext> {

		final List<String> queries = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(QueryContext context) {
			this.queries.addAll(context.getQueries());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof QueryContext;
		}

	}

}
