package io.github.replicarouting.sample.dashboard;

import java.time.Duration;

import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The live page's traffic buttons ({@code POST /load/browse}, {@code POST /load/buy}, {@code POST /load?seconds=}).
 * Demo-only: they exist with the {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile, which the sample activates when it runs on
 * the embedded cluster it started, never on databases of your own.
 *
 * @since 0.1.0
 */
@RestController
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class LoadController {

	private static final int MAX_COUNT = 1000;

	private static final int MAX_SECONDS = 120;

	private final TrafficGenerator traffic;

	public LoadController(TrafficGenerator traffic) {
		this.traffic = traffic;
	}

	@PostMapping("/load/browse")
	TrafficGenerator.Summary browse(@RequestParam(defaultValue = "20") int count) {
		return this.traffic.browse(check(count, MAX_COUNT, "count"));
	}

	@PostMapping("/load/buy")
	TrafficGenerator.Summary buy(@RequestParam(defaultValue = "5") int count) {
		return this.traffic.buy(check(count, MAX_COUNT, "count"));
	}

	@PostMapping("/load")
	TrafficGenerator.Summary load(@RequestParam(defaultValue = "5") int seconds,
			@RequestParam(defaultValue = "4") int threads) {
		return this.traffic.mixed(Duration.ofSeconds(check(seconds, MAX_SECONDS, "seconds")),
				check(threads, 16, "threads"));
	}

	private static int check(int value, int max, String name) {
		if (value < 1 || value > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'" + name + "' must be between 1 and " + max);
		}
		return value;
	}

}
