package io.github.replicarouting.sample.dashboard;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live page ({@code GET /}) and its data ({@code GET /dashboard}). Its traffic buttons call {@link LoadController},
 * which exists on the embedded cluster only.
 *
 * @since 0.1.0
 */
@RestController
public class DashboardController {

	private static final Resource PAGE = new ClassPathResource("static/index.html");

	private final RoutingDashboard dashboard;

	public DashboardController(RoutingDashboard dashboard) {
		this.dashboard = dashboard;
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

}
