package io.github.replicarouting.sample.dashboard;

import io.github.replicarouting.sample.ticketing.EventService;
import io.github.replicarouting.sample.ticketing.TicketService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The load generators are demo-only: present with the {@code embedded} profile (which the sample activates when it
 * starts its own cluster), absent otherwise, so they can never load a database of the user's.
 */
class LoadEndpointsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withBean(EventService.class, () -> mock(EventService.class))
		.withBean(TicketService.class, () -> mock(TicketService.class))
		.withBean(RoutingDashboard.class, () -> mock(RoutingDashboard.class))
		.withUserConfiguration(DashboardController.class, LoadController.class, TrafficGenerator.class,
				LoadCommand.class);

	@Test
	void absentWithTheExternalProfile() {
		this.contextRunner.withPropertyValues("spring.profiles.active=external")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DashboardController.class)
				.doesNotHaveBean(LoadController.class)
				.doesNotHaveBean(TrafficGenerator.class)
				.doesNotHaveBean(LoadCommand.class));
	}

	@Test
	void absentWithoutAnyProfile() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(DashboardController.class)
			.doesNotHaveBean(LoadController.class)
			.doesNotHaveBean(TrafficGenerator.class)
			.doesNotHaveBean(LoadCommand.class));
	}

	@Test
	void presentWithTheEmbeddedProfile() {
		this.contextRunner.withPropertyValues("spring.profiles.active=embedded")
			.run((context) -> assertThat(context).hasSingleBean(LoadController.class)
				.hasSingleBean(TrafficGenerator.class)
				.hasSingleBean(LoadCommand.class));
	}

}
