package io.github.replicarouting.sample;

import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.test.ReplicationCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static io.github.replicarouting.sample.SampleClient.NODES;
import static io.github.replicarouting.sample.SampleClient.READS;
import static io.github.replicarouting.sample.SampleClient.REPLICAS_ONLY;
import static io.github.replicarouting.sample.SampleClient.header;
import static io.github.replicarouting.sample.SampleClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ticketing API over HTTP: writes land on the primary (checked there over JDBC), reads are served by replicas, and
 * every response names the nodes it used.
 */
@SampleAppTest
class TicketingTests {

	private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ReplicationCluster cluster;

	private SampleClient client;

	@BeforeEach
	void client() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void listingIsServedByReplica() {
		ResponseEntity<String> response = this.client.get("/events");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(JsonPath.<List<String>>read(response.getBody(), "$[*].name")).contains("Swan Lake");
		assertThat(header(response, READS)).matches(REPLICAS_ONLY);
		assertThat(header(response, NODES)).matches(REPLICAS_ONLY);
	}

	@Test
	void createEventWritesOnPrimary() {
		String name = unique("Premiere");
		ResponseEntity<String> response = this.client.post("/events", """
				{"name": "%s", "venue": "Old Vic", "startsAt": "2031-01-15T19:30:00", "capacity": 80}
				""".formatted(name));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(response.getHeaders().getLocation()).hasPath("/events/" + JsonPath.read(response.getBody(), "$.id"));
		assertThat(header(response, NODES)).isEqualTo("primary");
		assertThat(header(response, READS)).isEqualTo("none");
		assertThat(DirectQueries.eventsNamed(this.cluster, this.cluster.primary(), name)).isOne();
	}

	@Test
	void purchaseWritesOnPrimaryAndShowsInTicketsAfterReplication() {
		long eventId = this.client.createEvent(unique("Concert"), 100);
		String buyer = unique("alice");

		ResponseEntity<String> purchase = this.client.purchase(eventId, buyer);
		assertThat(purchase.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(JsonPath.<String>read(purchase.getBody(), "$.buyer")).isEqualTo(buyer);
		assertThat(header(purchase, NODES)).contains("primary");
		assertThat(DirectQueries.ticketsOf(this.cluster, this.cluster.primary(), buyer)).isOne();

		this.cluster.awaitReplication(REPLICATION_TIMEOUT);
		ResponseEntity<String> tickets = this.client.get("/tickets?buyer={buyer}", buyer);
		assertThat(tickets.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<List<Integer>>read(tickets.getBody(), "$[*].eventId")).containsExactly((int) eventId);
		assertThat(header(tickets, READS)).matches(REPLICAS_ONLY);
		assertThat(header(tickets, NODES)).matches(REPLICAS_ONLY);
	}

	@Test
	void eventDetailsCountSalesOnReplica() {
		long eventId = this.client.createEvent(unique("Opera"), 3);
		assertThat(this.client.purchase(eventId, unique("bob")).getStatusCode()).isEqualTo(HttpStatus.CREATED);
		this.cluster.awaitReplication(REPLICATION_TIMEOUT);

		ResponseEntity<String> details = this.client.get("/events/{id}", eventId);
		assertThat(details.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<Integer>read(details.getBody(), "$.ticketsSold")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(details.getBody(), "$.ticketsAvailable")).isEqualTo(2);
		assertThat(header(details, READS)).matches(REPLICAS_ONLY);
		assertThat(header(details, NODES)).matches(REPLICAS_ONLY);
	}

	@Test
	void searchIsServedByReplica() {
		String name = unique("Nutcracker");
		this.client.createEvent(name, 10);
		this.cluster.awaitReplication(REPLICATION_TIMEOUT);

		ResponseEntity<String> response = this.client.get("/events/search?q={q}",
				name.substring(name.indexOf('-') + 1).toUpperCase());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<List<String>>read(response.getBody(), "$[*].name")).containsExactly(name);
		assertThat(header(response, READS)).matches(REPLICAS_ONLY);
	}

	@Test
	void soldOutEventRejectsPurchaseWith409() {
		long eventId = this.client.createEvent(unique("Tiny Gig"), 1);
		String first = unique("carol");
		String second = unique("dave");
		assertThat(this.client.purchase(eventId, first).getStatusCode()).isEqualTo(HttpStatus.CREATED);

		ResponseEntity<String> rejected = this.client.purchase(eventId, second);
		assertThat(rejected.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(rejected.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(header(rejected, NODES)).isNotEqualTo("none");
		assertThat(DirectQueries.ticketsOf(this.cluster, this.cluster.primary(), first)).isOne();
		assertThat(DirectQueries.ticketsOf(this.cluster, this.cluster.primary(), second)).isZero();
	}

	@Test
	void soldOutEventIsTurnedAwayByReplicaOnceReplicated() {
		long eventId = this.client.createEvent(unique("Tiny Gig"), 1);
		assertThat(this.client.purchase(eventId, unique("erin")).getStatusCode()).isEqualTo(HttpStatus.CREATED);
		this.cluster.awaitReplication(REPLICATION_TIMEOUT);

		ResponseEntity<String> rejected = this.client.purchase(eventId, unique("frank"));
		assertThat(rejected.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		// The replica knew the event was sold out: the primary was never asked.
		assertThat(header(rejected, NODES)).matches(REPLICAS_ONLY);
	}

	@Test
	void purchaseForUnknownEventIs404() {
		String buyer = unique("grace");
		ResponseEntity<String> response = this.client.purchase(Long.MAX_VALUE, buyer);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(JsonPath.<String>read(response.getBody(), "$.detail")).contains(String.valueOf(Long.MAX_VALUE));
		assertThat(header(response, READS)).matches(REPLICAS_ONLY);
		assertThat(DirectQueries.ticketsOf(this.cluster, this.cluster.primary(), buyer)).isZero();
	}

	@Test
	void purchaseWithoutBuyerIs400() {
		long eventId = this.client.createEvent(unique("Matinee"), 5);
		ResponseEntity<String> response = this.client.post("/events/{id}/tickets", "{}", eventId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(header(response, READS)).isEqualTo("none");
		assertThat(header(response, NODES)).isEqualTo("none");
	}

}
