package io.github.replicarouting.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static io.github.replicarouting.sample.SampleClient.NODES;
import static io.github.replicarouting.sample.SampleClient.READS;
import static io.github.replicarouting.sample.SampleClient.REPLICAS_ONLY;
import static io.github.replicarouting.sample.SampleClient.header;
import static io.github.replicarouting.sample.SampleClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves with the data itself, not only the headers, that reads are served by replicas: while replication is paused,
 * the API cannot see an event the primary already has.
 */
@SampleAppTest
class ReplicaReadsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ReplicationCluster cluster;

	@Test
	void readsDoNotSeeWritesTheReplicasHaveNotApplied() {
		SampleClient client = new SampleClient(this.port);
		String name = unique("Secret Show");
		long eventId;
		this.cluster.replicas().forEach((replica) -> this.cluster.pauseReplication(replica.name()));
		try {
			eventId = client.createEvent(name, 10);
			assertThat(DirectQueries.eventsNamed(this.cluster, this.cluster.primary(), name)).isOne();
			for (ClusterNode replica : this.cluster.replicas()) {
				assertThat(DirectQueries.eventsNamed(this.cluster, replica, name)).as(replica.name()).isZero();
			}
			for (int i = 0; i < this.cluster.replicas().size(); i++) {
				ResponseEntity<String> details = client.get("/events/{id}", eventId);
				assertThat(details.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
				assertThat(header(details, READS)).matches(REPLICAS_ONLY);
				assertThat(header(details, NODES)).matches(REPLICAS_ONLY);
			}
		}
		finally {
			this.cluster.replicas().forEach((replica) -> this.cluster.resumeReplication(replica.name()));
		}
		this.cluster.awaitReplication(Duration.ofSeconds(10));

		ResponseEntity<String> details = client.get("/events/{id}", eventId);
		assertThat(details.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<String>read(details.getBody(), "$.name")).isEqualTo(name);
		assertThat(header(details, READS)).matches(REPLICAS_ONLY);
	}

}
