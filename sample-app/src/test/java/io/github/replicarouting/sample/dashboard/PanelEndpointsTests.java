package io.github.replicarouting.sample.dashboard;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The fault and operations panel's endpoints are demo-only: absent without the {@code embedded} profile, so they can
 * never freeze or drain databases of the user's. Had either controller no profile condition, these contexts would
 * fail to start: neither the embedded cluster nor a routing data source is there. That they are present on the
 * embedded cluster is shown by {@code FaultPanelEndpointsTests} and {@code FaultPanelBrowserTests}.
 */
class PanelEndpointsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withUserConfiguration(FaultController.class, OperationsController.class, ReplicaController.class);

	@Test
	void absentWithTheExternalProfile() {
		this.contextRunner.withPropertyValues("spring.profiles.active=external").run(this::assertAbsent);
	}

	@Test
	void absentWithoutAnyProfile() {
		this.contextRunner.run(this::assertAbsent);
	}

	private void assertAbsent(AssertableWebApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed()
			.doesNotHaveBean(FaultController.class)
			.doesNotHaveBean(OperationsController.class)
			.doesNotHaveBean(ReplicaController.class);
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
		mvc.perform(post("/faults/replica-1/freeze")).andExpect(status().isNotFound());
		mvc.perform(post("/faults/replica-1/kill")).andExpect(status().isNotFound());
		mvc.perform(post("/operations/replica-1/drain")).andExpect(status().isNotFound());
		mvc.perform(post("/replicas")).andExpect(status().isNotFound());
	}

}
