package io.github.replicarouting.sample.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingReason;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RoutingHeadersFilter}.
 */
class RoutingHeadersFilterTests {

	private final RoutingHeadersFilter filter = new RoutingHeadersFilter();

	private final RoutingHeadersListener listener = new RoutingHeadersListener();

	@Test
	void headersSurviveBodyLargeEnoughToCommitResponse() throws ServletException, IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		target.setBufferSize(64);
		HttpServletResponse response = new IgnoringHeadersAfterCommit(target);
		byte[] body = ("[" + "{\"name\":\"Swan Lake\"},".repeat(200) + "{}]").getBytes(StandardCharsets.UTF_8);
		FilterChain chain = (request, servletResponse) -> {
			this.listener.onConnection(new RoutingDecision("replica-2", Route.REPLICA, RoutingReason.ANNOTATION));
			servletResponse.setContentType("application/json");
			servletResponse.getOutputStream().write(body);
			servletResponse.flushBuffer();
			// A connection taken while the body is written (open-in-view lazy loading) is still reported.
			this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.DEFAULT));
		};

		this.filter.doFilter(new MockHttpServletRequest("GET", "/events"), response, chain);

		assertThat(target.getHeader(RoutingHeadersFilter.READS_HEADER)).isEqualTo("replica-2");
		assertThat(target.getHeader(RoutingHeadersFilter.NODES_HEADER)).isEqualTo("replica-2,primary");
		assertThat(target.getContentAsByteArray()).isEqualTo(body);
		assertThat(target.isCommitted()).isTrue();
		assertThat(RequestRouting.current()).isNull();
	}

	@Test
	void eachNodeIsNamedOnceInOrderOfFirstUse() throws ServletException, IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		FilterChain chain = (request, servletResponse) -> {
			this.listener.onConnection(new RoutingDecision("replica-1", Route.REPLICA, RoutingReason.ANNOTATION));
			this.listener.onConnection(new RoutingDecision("replica-2", Route.REPLICA, RoutingReason.ANNOTATION));
			this.listener.onConnection(new RoutingDecision("replica-1", Route.REPLICA, RoutingReason.ANNOTATION));
			this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.DEFAULT));
		};

		this.filter.doFilter(new MockHttpServletRequest("POST", "/events/1/tickets"), response, chain);

		assertThat(response.getHeader(RoutingHeadersFilter.READS_HEADER)).isEqualTo("replica-1,replica-2");
		assertThat(response.getHeader(RoutingHeadersFilter.NODES_HEADER)).isEqualTo("replica-1,replica-2,primary");
	}

	@Test
	void requestWithoutDatabaseAccessSaysNone() throws ServletException, IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(new MockHttpServletRequest("GET", "/nothing"), response, (request, servletResponse) -> {
		});

		assertThat(response.getHeader(RoutingHeadersFilter.READS_HEADER)).isEqualTo("none");
		assertThat(response.getHeader(RoutingHeadersFilter.NODES_HEADER)).isEqualTo("none");
	}

	@Test
	void headersAreSetWhenHandlerFails() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		FilterChain chain = (request, servletResponse) -> {
			this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.DEFAULT));
			throw new ServletException("boom");
		};

		try {
			this.filter.doFilter(new MockHttpServletRequest("POST", "/events"), response, chain);
		}
		catch (ServletException | IOException ex) {
			// expected
		}

		assertThat(response.getHeader(RoutingHeadersFilter.NODES_HEADER)).isEqualTo("primary");
		assertThat(RequestRouting.current()).isNull();
	}

	@Test
	void connectionsOutsideRequestsAreIgnored() {
		this.listener.onConnection(new RoutingDecision("primary", Route.PRIMARY, RoutingReason.DEFAULT));

		assertThat(RequestRouting.current()).isNull();
	}

	/**
	 * Like a servlet container: headers set once the response is committed are dropped.
	 */
	private static final class IgnoringHeadersAfterCommit extends HttpServletResponseWrapper {

		IgnoringHeadersAfterCommit(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void setHeader(String name, String value) {
			if (!isCommitted()) {
				super.setHeader(name, value);
			}
		}

		@Override
		public void addHeader(String name, String value) {
			if (!isCommitted()) {
				super.addHeader(name, value);
			}
		}

	}

}
