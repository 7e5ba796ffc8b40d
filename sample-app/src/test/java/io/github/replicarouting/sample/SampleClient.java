package io.github.replicarouting.sample;

import java.util.UUID;

import com.jayway.jsonpath.JsonPath;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to the running sample over real HTTP, so that headers are checked as they leave Tomcat.
 */
final class SampleClient {

	static final String READS = "X-Routing-Reads";

	static final String NODES = "X-Routing-Nodes";

	/** One replica name, or several separated by commas, and nothing else. */
	static final String REPLICAS_ONLY = "replica-[12](,replica-[12])*";

	private final RestClient client;

	SampleClient(int port) {
		this.client = RestClient.builder()
			.baseUrl("http://localhost:" + port)
			// Error statuses are answers to check, not exceptions.
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	ResponseEntity<String> get(String uri, Object... variables) {
		return this.client.get().uri(uri, variables).retrieve().toEntity(String.class);
	}

	ResponseEntity<String> post(String uri, String json, Object... variables) {
		return this.client.post()
			.uri(uri, variables)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.retrieve()
			.toEntity(String.class);
	}

	/**
	 * Put an event on sale and return its id.
	 */
	long createEvent(String name, int capacity) {
		ResponseEntity<String> response = post("/events", """
				{"name": "%s", "venue": "Test Hall", "startsAt": "2031-06-01T20:00:00", "capacity": %d}
				""".formatted(name, capacity));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return ((Number) JsonPath.read(response.getBody(), "$.id")).longValue();
	}

	ResponseEntity<String> purchase(long eventId, String buyer) {
		return post("/events/{id}/tickets", "{\"buyer\": \"" + buyer + "\"}", eventId);
	}

	static String header(ResponseEntity<?> response, String name) {
		String value = response.getHeaders().getFirst(name);
		assertThat(value).as("header " + name).isNotNull();
		return value;
	}

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
