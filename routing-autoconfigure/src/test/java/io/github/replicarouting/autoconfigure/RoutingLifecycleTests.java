package io.github.replicarouting.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.Routing;
import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingContext;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.FirstProbes;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What runs with the application: the topology monitor (lazy initialization or not), the replica pools, and the
 * task decorator next to the application's own. The nodes are in-memory H2 databases; no server decides anything.
 */
@ExtendWith(OutputCaptureExtension.class)
class RoutingLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RoutingDataSourceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withPropertyValues("routing.datasource.primary.url=jdbc:h2:mem:lifecycle-primary",
				"routing.datasource.primary.username=sa",
				"routing.datasource.replicas.replica-1.url=jdbc:h2:mem:lifecycle-replica-1",
				"routing.datasource.lag-check-interval=100ms");

	@Test
	void monitorRunsUnderLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(
					new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().getBeanDefinition("dataSource").isLazyInit()).isTrue();
				Topology topology = context.getBean(RoutingDataSource.class).getTopology();
				assertThat(FirstProbes.await(topology)).extracting(NodeStatus::reason)
					.allSatisfy((reason) -> assertThat(reason).isNotEqualTo("not checked yet"));
			});
	}

	@Test
	void replicaPoolsStartWithTheApplicationEachWithOneLogLine(CapturedOutput output) {
		this.contextRunner.withPropertyValues("routing.datasource.replicas.replica-2.url=jdbc:h2:mem:lifecycle-replica-2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<DataSourceNode> replicas = context.getBean(RoutingDataSource.class).getReplicas();
				assertThat(replicas).hasSize(2).allSatisfy((replica) -> {
					HikariDataSource pool = (HikariDataSource) replica.getDataSource();
					assertThat(pool.isRunning()).as(replica.getName() + " started").isTrue();
				});
			});
		for (String replica : List.of("replica-1", "replica-2")) {
			assertThat(output.getAll().lines().filter((line) -> line.contains("Started the pool of replica '" + replica + "'")))
				.hasSize(1)
				.allSatisfy((line) -> assertThat(line).contains(" INFO ").contains("jdbc:h2:mem:lifecycle-" + replica));
		}
	}

	@Test
	void replicaDownAtStartupDoesNotFailStartup() {
		this.contextRunner.withPropertyValues("routing.datasource.replicas.replica-2.url=jdbc:mariadb://127.0.0.1:1/none",
				"routing.datasource.failover-timeout=500ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<DataSourceNode> replicas = context.getBean(RoutingDataSource.class).getReplicas();
				assertThat(replicas).allSatisfy(
						(replica) -> assertThat(((HikariDataSource) replica.getDataSource()).isRunning()).isTrue());
			});
	}

	@Test
	void taskDecoratorComposesWithTheApplicationsOwn() {
		this.contextRunner.withUserConfiguration(UserTaskDecoratorConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			CompletableFuture<String> seen = Routing.onReplica(() -> executor.submitCompletable(() -> {
				Route route = RoutingContext.currentRoute();
				return UserTaskDecoratorConfiguration.MARK.get() + " " + route;
			}));
			assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("decorated " + Route.REPLICA);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTaskDecoratorConfiguration {

		static final ThreadLocal<String> MARK = ThreadLocal.withInitial(() -> "plain");

		@Bean
		TaskDecorator userTaskDecorator() {
			return (task) -> () -> {
				MARK.set("decorated");
				try {
					task.run();
				}
				finally {
					MARK.remove();
				}
			};
		}

	}

}
