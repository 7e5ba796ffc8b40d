package io.github.replicarouting.sample.web;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Adds {@value #READS_HEADER} (nodes that served the request's reads) and {@value #NODES_HEADER} (every node the
 * request used, for reads or writes) to each response, as comma-separated node names, or {@code none}.
 *
 * @since 0.1.0
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RoutingHeadersFilter extends OncePerRequestFilter {

	/** Header naming the nodes that served reads. */
	public static final String READS_HEADER = "X-Routing-Reads";

	/** Header naming every node the request used. */
	public static final String NODES_HEADER = "X-Routing-Nodes";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestRouting routing = RequestRouting.begin();
		// The body is buffered so that headers can still be added once it is written: a JSON body can be large enough
		// to commit the response while it is serialized, and serializing can itself load data (open-in-view).
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, wrapper);
		}
		finally {
			RequestRouting.end();
			wrapper.setHeader(READS_HEADER, headerValue(routing.reads()));
			wrapper.setHeader(NODES_HEADER, headerValue(routing.nodes()));
			wrapper.copyBodyToResponse();
		}
	}

	private static String headerValue(Set<String> nodes) {
		return nodes.isEmpty() ? "none" : String.join(",", nodes);
	}

}
