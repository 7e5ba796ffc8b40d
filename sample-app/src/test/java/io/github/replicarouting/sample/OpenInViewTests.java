package io.github.replicarouting.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.test.ReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;

import static io.github.replicarouting.sample.SampleClient.NODES;
import static io.github.replicarouting.sample.SampleClient.READS;
import static io.github.replicarouting.sample.SampleClient.REPLICAS_ONLY;
import static io.github.replicarouting.sample.SampleClient.header;
import static io.github.replicarouting.sample.SampleClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-in-view trap: the purchase endpoint reads the event through Spring Data (a read-only transaction, on a
 * replica) and then buys the ticket in a read-write transaction, all in one request-wide persistence context. If that
 * context kept the replica's connection, the write would fail there.
 */
@SampleAppTest
class OpenInViewTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ReplicationCluster cluster;

	@Autowired
	private ObjectProvider<OpenEntityManagerInViewInterceptor> openInView;

	@Test
	void purchaseAfterReplicaReadInSameRequestWritesOnPrimary() {
		assertThat(this.openInView.getIfAvailable()).as("open-in-view is on (Boot's default)").isNotNull();
		SampleClient client = new SampleClient(this.port);
		long eventId = client.createEvent(unique("Sold Slowly"), 10);
		// Replicated first, so the request really loads the event from a replica into its persistence context.
		this.cluster.awaitReplication(Duration.ofSeconds(10));
		String buyer = unique("heidi");

		ResponseEntity<String> response = client.purchase(eventId, buyer);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(JsonPath.<Integer>read(response.getBody(), "$.eventId")).isEqualTo((int) eventId);
		assertThat(header(response, READS)).as("the event was read on a replica").matches(REPLICAS_ONLY);
		assertThat(header(response, NODES)).as("the ticket was written on the primary").endsWith(",primary");
		assertThat(DirectQueries.ticketsOf(this.cluster, this.cluster.primary(), buyer)).isOne();
	}

}
