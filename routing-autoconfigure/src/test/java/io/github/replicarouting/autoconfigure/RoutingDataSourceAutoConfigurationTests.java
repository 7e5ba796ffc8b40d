package io.github.replicarouting.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.routing.LeastConnectionsLoadBalancer;
import io.github.replicarouting.routing.ReplicaLoadBalancer;
import io.github.replicarouting.routing.RoutingAnnotationAdvisor;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.routing.WeightedLoadBalancer;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.ReplicationClusterExtension;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

@WithReplicationCluster
@ExtendWith(OutputCaptureExtension.class)
class RoutingDataSourceAutoConfigurationTests {

	private final ReplicationCluster cluster = ReplicationClusterExtension.sharedCluster();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues("routing.datasource.primary.url=" + this.cluster.primary().jdbcUrl(),
				"routing.datasource.primary.username=" + this.cluster.username(),
				"routing.datasource.primary.password=" + this.cluster.password());

	private ApplicationContextRunner withReplicas() {
		return this.contextRunner.withPropertyValues(
				"routing.datasource.replicas.replica-1.url=" + this.cluster.replicas().get(0).jdbcUrl(),
				"routing.datasource.replicas.replica-2.url=" + this.cluster.replicas().get(1).jdbcUrl());
	}

	@Test
	void routingDataSourceIsTheOnlyDataSource() {
		withReplicas().run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
			assertThat(context).hasSingleBean(RoutingAnnotationAdvisor.class);
		});
	}

	@Test
	void poolsAreNamedAfterNodesAndReplicaPoolsAreReadOnly() {
		withReplicas().run((context) -> {
			RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
			HikariDataSource primary = hikari(dataSource.getPrimary());
			assertThat(primary.getPoolName()).isEqualTo("primary");
			assertThat(primary.isReadOnly()).isFalse();
			assertThat(dataSource.getReplicas()).extracting(DataSourceNode::getName)
				.containsExactly("replica-1", "replica-2");
			assertThat(dataSource.getReplicas()).allSatisfy((replica) -> {
				assertThat(hikari(replica).getPoolName()).isEqualTo(replica.getName());
				assertThat(hikari(replica).isReadOnly()).isTrue();
				assertThat(hikari(replica).getConnectionInitSql()).isEqualTo("SET SESSION TRANSACTION READ ONLY");
			});
		});
	}

	@Test
	void replicasInheritThePrimaryCredentialsUnlessTheyHaveTheirOwn() {
		withReplicas().withPropertyValues("routing.datasource.replicas.replica-2.username=reporting")
			.run((context) -> {
				RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
				assertThat(hikari(dataSource.getReplicas().get(0)).getUsername()).isEqualTo(this.cluster.username());
				assertThat(hikari(dataSource.getReplicas().get(0)).getPassword()).isEqualTo(this.cluster.password());
				assertThat(hikari(dataSource.getReplicas().get(1)).getUsername()).isEqualTo("reporting");
			});
	}

	@Test
	void sharedHikariSettingsApplyToEveryPoolAndNodeSettingsOverrideThem() {
		withReplicas()
			.withPropertyValues("routing.datasource.hikari.maximum-pool-size=7",
					"routing.datasource.hikari.connectionTimeout=1500",
					"routing.datasource.primary.hikari.maximum-pool-size=20",
					"routing.datasource.replicas.replica-2.hikari.minimum-idle=1")
			.run((context) -> {
				RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
				// One budget for the node: its read-only sessions take a quarter of it.
				assertThat(hikari(dataSource.getPrimary()).getMaximumPoolSize()).isEqualTo(15);
				assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource.getPrimary().getReadOnlyDataSource())
					.getMaximumPoolSize()).isEqualTo(5);
				assertThat(hikari(dataSource.getPrimary()).getConnectionTimeout()).isEqualTo(1500);
				assertThat(hikari(dataSource.getReplicas().get(0)).getMaximumPoolSize()).isEqualTo(7);
				assertThat(hikari(dataSource.getReplicas().get(1)).getMaximumPoolSize()).isEqualTo(7);
				assertThat(hikari(dataSource.getReplicas().get(1)).getMinimumIdle()).isEqualTo(1);
			});
	}

	@Test
	void loadBalancingIsChosenByName() {
		withReplicas().withPropertyValues("routing.datasource.load-balancing=least-connections")
			.run((context) -> assertThat(context.getBean(ReplicaLoadBalancer.class))
				.isInstanceOf(LeastConnectionsLoadBalancer.class));
	}

	@Test
	void userLoadBalancerReplacesTheConfiguredOne() {
		withReplicas().withUserConfiguration(CustomLoadBalancerConfiguration.class)
			.run((context) -> assertThat(context.getBean(ReplicaLoadBalancer.class))
				.isInstanceOf(WeightedLoadBalancer.class));
	}

	@Test
	void backsOffWhenTheUserDefinesADataSource() {
		this.contextRunner.withUserConfiguration(UserDataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context).doesNotHaveBean(RoutingDataSource.class);
		});
	}

	@Test
	void canBeDisabled() {
		withReplicas()
			.withPropertyValues("routing.datasource.enabled=false",
					"spring.datasource.url=" + this.cluster.primary().jdbcUrl())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RoutingDataSource.class)
					.doesNotHaveBean(RoutingAnnotationAdvisor.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			});
	}

	@Test
	void withoutHikariTheAutoConfigurationBacksOff() {
		withReplicas().withClassLoader(new FilteredClassLoader(HikariDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RoutingDataSource.class));
	}

	@Test
	void withoutReplicasEverythingRunsOnThePrimaryAndStartupSaysSoOnce(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			RoutingDataSource dataSource = context.getBean(RoutingDataSource.class);
			assertThat(dataSource.getReplicas()).isEmpty();
			try (var connection = dataSource.getConnection()) {
				connection.setReadOnly(true);
				try (var statement = connection.createStatement();
						var result = statement.executeQuery("SELECT @@server_id")) {
					result.next();
					assertThat(result.getLong(1)).isEqualTo(this.cluster.primary().serverId());
				}
			}
		});
		String message = "No replicas configured under routing.datasource.replicas";
		assertThat(output).containsOnlyOnce(message);
		assertThat(output.getAll().lines().filter((line) -> line.contains(message))).allMatch((line) -> line.contains("INFO"));
	}

	@Test
	void replicasWithoutAPrimaryUrlFailWithAClearMessage() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class))
			.withPropertyValues("routing.datasource.replicas.replica-1.url=" + this.cluster.replicas().get(0).jdbcUrl())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("routing.datasource.primary.url is not set");
				assertThat(analysis.getAction()).contains("Set routing.datasource.primary.url")
					.contains("spring.datasource.url");
			});
	}

	@Test
	void replicaWithoutUrlFailsWithAClearMessage() {
		this.contextRunner.withPropertyValues("routing.datasource.replicas.reporting.weight=2").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Replica 'reporting' has no URL: routing.datasource.replicas.reporting.url is not set.");
			assertThat(analysis.getAction()).contains("or remove the replica");
		});
	}

	@Test
	void unknownHikariSettingFailsWithAClearMessage() {
		this.contextRunner.withPropertyValues("routing.datasource.hikari.maximum-pool-sise=5").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Invalid Hikari settings for pool 'primary'")
				.contains("maximum-pool-sise");
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new RoutingConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		return analysis;
	}

	private static HikariDataSource hikari(DataSourceNode node) {
		return (HikariDataSource) node.getDataSource();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomLoadBalancerConfiguration {

		@Bean
		ReplicaLoadBalancer customLoadBalancer() {
			return new WeightedLoadBalancer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		DataSource userDataSource() {
			return new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:1/none");
		}

	}

}
