package io.github.replicarouting.autoconfigure.actuate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.replicarouting.actuate.RoutingMetricsListener;
import io.github.replicarouting.actuate.RoutingNodeMetrics;
import io.github.replicarouting.actuate.RoutingObservationListener;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.WithReplicationCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
class RoutingMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				DataSourcePoolMetricsAutoConfiguration.class, ObservationAutoConfiguration.class,
				RoutingMetricsAutoConfiguration.class))
		.withPropertyValues(ClusterProperties.of());

	@Test
	void recordsDecisionsNodeStatesAndEveryPool() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RoutingMetricsListener.class)
				.hasSingleBean(RoutingNodeMetrics.class)
				.hasSingleBean(RoutingObservationListener.class);
			DataSource dataSource = context.getBean(DataSource.class);
			new JdbcTemplate(dataSource).queryForObject("SELECT @@server_id", Long.class);
			// A read on each replica (round-robin) starts their pools.
			readOnReplica(dataSource);
			readOnReplica(dataSource);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("routing.decisions")
				.tags("target", "primary", "node", "primary", "reason", "default")
				.counter()
				.count()).isGreaterThanOrEqualTo(1);
			assertThat(registry.get("routing.decisions").tags("target", "replica", "reason", "readonly-tx").counters())
				.hasSize(2);
			assertThat(registry.get("routing.node.state").tags("node", "replica-1", "state", "up").gauge().value())
				.isEqualTo(1);
			assertThat(registry.get("routing.node.state").tags("node", "replica-1", "state", "down").gauge().value())
				.isZero();
			assertThat(registry.get("routing.node.writer").tag("node", "primary").gauge().value()).isEqualTo(1);
			assertThat(registry.find("routing.replica.lag").tag("node", "replica-2").timeGauge()).isNotNull();
			// Boot binds only the pool the DataSource bean unwraps to; every node's pool has its metrics, and so do
			// the primary's read-only sessions once used.
			try (Connection connection = context.getBean(RoutingDataSource.class)
				.getPrimary()
				.getReadOnlyDataSource()
				.getConnection()) {
				assertThat(connection.isReadOnly()).isTrue();
			}
			for (String pool : new String[] { "primary", "replica-1", "replica-2", "primary-read-only" }) {
				assertThat(registry.find("hikaricp.connections.max").tag("pool", pool).gauge()).as(pool).isNotNull();
			}
		});
	}

	private static void readOnReplica(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setReadOnly(true);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("SELECT @@server_id").close();
			}
		}
	}

	@Test
	void absentWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RoutingMetricsListener.class)
				.doesNotHaveBean(RoutingNodeMetrics.class)
				.doesNotHaveBean(RoutingObservationListener.class));
	}

	@Test
	void observationAttributesNeedAnObservationRegistry() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RoutingMetricsListener.class)
				.doesNotHaveBean(RoutingObservationListener.class));
	}

}
