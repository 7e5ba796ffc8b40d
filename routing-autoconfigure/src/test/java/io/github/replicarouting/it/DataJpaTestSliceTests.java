package io.github.replicarouting.it;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.transaction.TestTransaction;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @DataJpaTest} slice against the real cluster gets routing too: the slice only loads auto-configurations
 * listed for it, and ours is.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@WithReplicationCluster
class DataJpaTestSliceTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	DataSource dataSource;

	@Autowired
	NodeMarkerRepository markers;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
	}

	@Test
	void repositoryReadsGoToReplicas() {
		assertThat(TestTransaction.isActive()).isFalse();
		assertThat(this.dataSource).isInstanceOf(RoutingDataSource.class);
		assertThat(this.markers.findById(1L)).get().extracting(NodeMarker::getNode).asString().startsWith("replica-");
		assertThat(this.markers.findMarker().getNode()).isEqualTo(ReplicationCluster.PRIMARY);
	}

}
