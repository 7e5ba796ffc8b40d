package io.github.replicarouting.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.Routing;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link JdbcConnectionDetails} bean ({@code @ServiceConnection}, Docker Compose) gives the primary's connection, as
 * it gives Boot's own {@code DataSource} its connection.
 */
@WithReplicationCluster
class RoutingConnectionDetailsTests {

	private final ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class));

	@Test
	void connectionDetailsGiveThePrimary() {
		ClusterNode primary = this.cluster.primary();
		this.contextRunner.withBean(JdbcConnectionDetails.class, () -> details(primary))
			.withPropertyValues("routing.datasource.replicas.replica-1.url=" + this.cluster.replicas().get(0).jdbcUrl())
			.run((context) -> {
				RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
				HikariDataSource pool = (HikariDataSource) dataSource.getPrimary().getDataSource();
				assertThat(pool.getJdbcUrl()).isEqualTo(primary.jdbcUrl());
				// Replicas without credentials of their own take the primary's, now from the details.
				HikariDataSource replica = (HikariDataSource) dataSource.getReplicas().get(0).getDataSource();
				assertThat(replica.getUsername()).isEqualTo(this.cluster.username());
				long serverId = new JdbcTemplate(dataSource).queryForObject("SELECT @@server_id", Long.class);
				assertThat(this.cluster.nodeName(serverId)).isEqualTo(ReplicationCluster.PRIMARY);
			});
	}

	@Test
	void connectionDetailsWinOverProperties() {
		ClusterNode primary = this.cluster.primary();
		this.contextRunner.withBean(JdbcConnectionDetails.class, () -> details(primary))
			.withPropertyValues("routing.datasource.primary.url=jdbc:mariadb://127.0.0.1:1/nowhere")
			.run((context) -> assertThat(
					((HikariDataSource) context.getBean(RoutingDataSource.class).getPrimary().getDataSource())
						.getJdbcUrl())
				.isEqualTo(primary.jdbcUrl()));
	}

	@Test
	void springDatasourcePropertiesGiveThePrimaryWhenOnlyReplicasAreConfigured() {
		ClusterNode primary = this.cluster.primary();
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + primary.jdbcUrl(),
					"spring.datasource.username=" + this.cluster.username(),
					"spring.datasource.password=" + this.cluster.password(),
					"routing.datasource.replicas.replica-1.url=" + this.cluster.replicas().get(0).jdbcUrl())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
				assertThat(((HikariDataSource) dataSource.getPrimary().getDataSource()).getJdbcUrl())
					.isEqualTo(primary.jdbcUrl());
				assertThat(((HikariDataSource) dataSource.getReplicas().get(0).getDataSource()).getUsername())
					.isEqualTo(this.cluster.username());
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				long writer = jdbc.queryForObject("SELECT @@server_id", Long.class);
				assertThat(this.cluster.nodeName(writer)).isEqualTo(ReplicationCluster.PRIMARY);
				long reader = Routing.onReplica(() -> jdbc.queryForObject("SELECT @@server_id", Long.class));
				assertThat(this.cluster.nodeName(reader)).isEqualTo(this.cluster.replicas().get(0).name());
			});
	}

	@Test
	void routingPrimaryWinsOverSpringDatasourceProperties() {
		ClusterNode primary = this.cluster.primary();
		this.contextRunner
			.withPropertyValues("spring.datasource.url=jdbc:mariadb://127.0.0.1:1/nowhere",
					"routing.datasource.primary.url=" + primary.jdbcUrl(),
					"routing.datasource.primary.username=" + this.cluster.username(),
					"routing.datasource.primary.password=" + this.cluster.password())
			.run((context) -> assertThat(
					((HikariDataSource) context.getBean(RoutingDataSource.class).getPrimary().getDataSource())
						.getJdbcUrl())
				.isEqualTo(primary.jdbcUrl()));
	}

	private JdbcConnectionDetails details(ClusterNode node) {
		return new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return RoutingConnectionDetailsTests.this.cluster.username();
			}

			@Override
			public String getPassword() {
				return RoutingConnectionDetailsTests.this.cluster.password();
			}

			@Override
			public String getJdbcUrl() {
				return node.jdbcUrl();
			}

		};
	}

}
