package io.github.replicarouting.it;

import java.time.Duration;
import java.util.List;

import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Read-your-writes across two HTTP requests of one client (POST, then GET with the cookie or header it got back),
 * with both replicas paused so any replica read of the new row is stale.
 */
@WithReplicationCluster
class ReadYourWritesHttpTests {

	static final ReplicationCluster cluster = TestCluster.get();

	private static final String COOKIE = "routing-consistency";

	private static final String HEADER = "X-Routing-Consistency";

	@BeforeEach
	void pauseReplicas() {
		cluster.pauseReplication("replica-1");
		cluster.pauseReplication("replica-2");
	}

	@AfterEach
	void resumeReplicas() {
		for (String replica : List.of("replica-1", "replica-2")) {
			cluster.resumeReplication(replica);
		}
		cluster.awaitReplication(Duration.ofSeconds(60));
	}

	static void check(MockMvc mvc) throws Exception {
		String name = "http-" + System.nanoTime();
		MvcResult written = mvc.perform(post("/rw/items").param("name", name)).andExpect(status().isOk()).andReturn();
		Cookie cookie = written.getResponse().getCookie(COOKIE);
		String header = written.getResponse().getHeader(HEADER);
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(header).isEqualTo(cookie.getValue());

		mvc.perform(get("/rw/items").param("name", name).cookie(cookie))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.found").value(true))
			.andExpect(jsonPath("$.serverId").value(cluster.primary().serverId()));
		mvc.perform(get("/rw/items").param("name", name).header(HEADER, header))
			.andExpect(jsonPath("$.found").value(true));

		// Without the token the read goes to a (paused, stale) replica: the check above can fail.
		mvc.perform(get("/rw/items").param("name", name)).andExpect(jsonPath("$.found").value(false));

		// A tampered token is ignored, without an error and without a long wait.
		String value = cookie.getValue();
		String tampered = value.substring(0, value.length() - 2) + (value.endsWith("A") ? "BB" : "AA");
		long started = System.nanoTime();
		mvc.perform(get("/rw/items").param("name", name).cookie(new Cookie(COOKIE, tampered)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.found").value(false));
		mvc.perform(get("/rw/items").param("name", name).header(HEADER, "1|m|1-1-999999999.forged"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.found").value(false));
		System.out.printf("tampered tokens ignored, two requests in %d ms%n", (System.nanoTime() - started) / 1_000_000);
	}

	@Nested
	@SpringBootTest(classes = RoutingTestApplication.class)
	@AutoConfigureMockMvc
	class Sticky {

		@Autowired
		MockMvc mvc;

		@DynamicPropertySource
		static void cluster(DynamicPropertyRegistry registry) {
			TestCluster.register(registry, "mariadb");
			registry.add("routing.datasource.read-your-writes", () -> "sticky");
			registry.add("routing.datasource.consistency-token.secret", () -> "a-secret-shared-by-all-instances");
		}

		@Test
		void readAfterWriteAcrossRequests() throws Exception {
			check(this.mvc);
		}

	}

	@Nested
	@SpringBootTest(classes = RoutingTestApplication.class)
	@AutoConfigureMockMvc
	class Causal {

		@Autowired
		MockMvc mvc;

		@DynamicPropertySource
		static void cluster(DynamicPropertyRegistry registry) {
			TestCluster.register(registry, "mysql");
			registry.add("routing.datasource.read-your-writes", () -> "causal");
			registry.add("routing.datasource.consistency-token.secret", () -> "a-secret-shared-by-all-instances");
		}

		@Test
		void readAfterWriteAcrossRequests() throws Exception {
			check(this.mvc);
		}

	}

}
