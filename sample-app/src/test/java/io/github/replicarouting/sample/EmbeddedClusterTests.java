package io.github.replicarouting.sample;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;
import io.github.replicarouting.test.ReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code routing.datasource.primary.url}, the application starts its own cluster and routes over it.
 */
@SampleAppTest
class EmbeddedClusterTests {

	@Autowired
	private ConfigurableEnvironment environment;

	@Autowired
	private ReplicationCluster cluster;

	@Autowired
	private RoutingDataSource dataSource;

	@Test
	void embeddedClusterConfiguresRouting() {
		assertThat(this.environment.getPropertySources()
			.contains(EmbeddedClusterEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isTrue();
		assertThat(this.environment.getProperty("routing.datasource.primary.url"))
			.isEqualTo(this.cluster.primary().jdbcUrl("mysql"));
		assertThat(this.environment.getProperty("routing.datasource.replicas.replica-2.url"))
			.isEqualTo(this.cluster.node("replica-2").jdbcUrl("mysql"));
		assertThat(this.dataSource.getPrimary().getName()).isEqualTo("primary");
		assertThat(this.dataSource.getReplicas()).extracting("name").containsExactly("replica-1", "replica-2");
		// The demo-only load generators need it.
		assertThat(this.environment.getActiveProfiles()).contains(EmbeddedClusterEnvironmentPostProcessor.PROFILE);
	}

	@Test
	void sampleEventsAreSeededOnPrimaryOnce() {
		assertThat(DirectQueries.eventsNamed(this.cluster, this.cluster.primary(), "Swan Lake")).isOne();
	}

}
