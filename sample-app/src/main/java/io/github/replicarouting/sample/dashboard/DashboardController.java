package io.github.replicarouting.sample.dashboard;

import java.time.Duration;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The live page ({@code GET /}), its data ({@code GET /dashboard}) and its traffic buttons ({@code POST /load/browse},
 * {@code POST /load/buy}, {@code POST /load?seconds=}).
 *
 * @since 0.1.0
 */
@RestController
public class DashboardController {

	private static final Resource PAGE = new ClassPathResource("static/index.html");

	private static final int MAX_COUNT = 1000;

	private static final int MAX_SECONDS = 120;

	private final RoutingDashboard dashboard;

	private final TrafficGenerator traffic;

	public DashboardController(RoutingDashboard dashboard, TrafficGenerator traffic) {
		this.dashboard = dashboard;
		this.traffic = traffic;
	}

	/**
	 * The page itself, written by this controller rather than forwarded to as Boot's welcome page: the routing headers
	 * filter buffers response bodies, and a forwarded response is closed before the buffer is written out.
	 */
	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	Resource page() {
		return PAGE;
	}

	@GetMapping("/dashboard")
	RoutingDashboard.View dashboard() {
		return this.dashboard.view();
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
