package io.github.replicarouting.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lag-check-interval} and {@code failover-timeout} were renamed {@code check-interval} and
 * {@code node-timeout}: users' files with the old keys keep working, and the new key wins when both are set.
 */
class RenamedPropertiesTests {

	@Test
	void defaultsAreUnchanged() {
		RoutingDataSourceProperties properties = bind(Map.of());
		assertThat(properties.getCheckInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void oldKeysStillBind() {
		RoutingDataSourceProperties properties = bind(Map.of("routing.datasource.lag-check-interval", "250ms",
				"routing.datasource.failover-timeout", "700ms"));
		assertThat(properties.getCheckInterval()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofMillis(700));
	}

	@Test
	void newKeysWinOverOldOnes() {
		RoutingDataSourceProperties properties = bind(Map.of("routing.datasource.lag-check-interval", "250ms",
				"routing.datasource.check-interval", "400ms", "routing.datasource.failover-timeout", "700ms",
				"routing.datasource.node-timeout", "900ms"));
		assertThat(properties.getCheckInterval()).isEqualTo(Duration.ofMillis(400));
		assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofMillis(900));
	}

	@Test
	void newKeysSetToTheirDefaultStillWin() {
		RoutingDataSourceProperties properties = bind(Map.of("routing.datasource.lag-check-interval", "250ms",
				"routing.datasource.check-interval", "1s", "routing.datasource.failover-timeout", "700ms",
				"routing.datasource.node-timeout", "2s"));
		assertThat(properties.getCheckInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofSeconds(2));
	}

	private static RoutingDataSourceProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("routing.datasource",
				RoutingDataSourceProperties.class);
	}

}
