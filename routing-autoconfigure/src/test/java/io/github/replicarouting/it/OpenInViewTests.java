package io.github.replicarouting.it;

import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Open-in-view (Boot's default) keeps one EntityManager for the whole request: a request that reads on a replica and
 * then writes must still write on the primary.
 */
@WithReplicationCluster
class OpenInViewTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Nested
	@SpringBootTest(classes = RoutingTestApplication.class)
	@AutoConfigureMockMvc
	class WithRoutingDefaults {

		@Autowired
		MockMvc mvc;

		@Autowired
		ApplicationContext context;

		@DynamicPropertySource
		static void cluster(DynamicPropertyRegistry registry) {
			TestCluster.register(registry, "mysql");
		}

		@Test
		void readThenWriteInOneRequestWritesOnPrimary() throws Exception {
			assertThat(this.context.getBeansOfType(OpenEntityManagerInViewInterceptor.class)).isNotEmpty();
			String name = "osiv-" + System.nanoTime();
			this.mvc.perform(post("/items").param("name", name))
				.andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.startsWith("replica-")));
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
				.isEqualTo(1);
		}

		@Test
		void readThenWriteWithAnIsolationLevelInOneRequestWritesOnPrimary() throws Exception {
			String name = "osiv-isolation-" + System.nanoTime();
			this.mvc.perform(post("/items/read-committed").param("name", name))
				.andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.startsWith("replica-")));
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
				.isEqualTo(1);
		}

	}

	/**
	 * The trap itself, to show the test above can fail: with Spring's default connection handling the request's first
	 * (replica) connection is held and the write goes through it.
	 */
	@Nested
	@SpringBootTest(classes = RoutingTestApplication.class,
			properties = "spring.jpa.properties.hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_HOLD")
	@AutoConfigureMockMvc
	class WithConnectionHeldForTheSession {

		@Autowired
		MockMvc mvc;

		@DynamicPropertySource
		static void cluster(DynamicPropertyRegistry registry) {
			TestCluster.register(registry, "mysql");
		}

		@Test
		void readThenWriteInOneRequestFails() {
			String name = "osiv-held-" + System.nanoTime();
			assertThatException().isThrownBy(() -> this.mvc.perform(post("/items").param("name", name)))
				.withStackTraceContaining("read-only");
			assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'"))
				.isZero();
		}

	}

}
