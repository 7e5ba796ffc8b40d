package io.github.replicarouting.consistency;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes each HTTP request a consistency scope, and carries the scope's last write across requests of one client:
 * the token arrives in a cookie (or header), and a request that writes sends the new token back in both. Tokens are
 * signed; a missing, forged or expired one is ignored. The cookie is {@code HttpOnly}, {@code SameSite=Lax}, and
 * {@code Secure} on secure requests unless configured otherwise.
 *
 * @since 0.1.0
 */
public class ReadYourWritesFilter extends OncePerRequestFilter implements Ordered {

	private final ConsistencyTokenCodec codec;

	private final String cookieName;

	private final String headerName;

	private final long maxAgeSeconds;

	private final @Nullable Boolean cookieSecure;

	/**
	 * Create a filter whose cookie is {@code Secure} on secure requests.
	 * @param codec signs and checks tokens
	 * @param cookieName the cookie that carries the token
	 * @param headerName the request and response header that carries the token
	 * @param maxAgeSeconds the cookie's lifetime
	 */
	public ReadYourWritesFilter(ConsistencyTokenCodec codec, String cookieName, String headerName,
			long maxAgeSeconds) {
		this(codec, cookieName, headerName, maxAgeSeconds, null);
	}

	/**
	 * Create a filter.
	 * @param codec signs and checks tokens
	 * @param cookieName the cookie that carries the token
	 * @param headerName the request and response header that carries the token
	 * @param maxAgeSeconds the cookie's lifetime
	 * @param cookieSecure whether the cookie is {@code Secure}; {@code null} for secure requests only
	 * ({@link HttpServletRequest#isSecure()})
	 */
	public ReadYourWritesFilter(ConsistencyTokenCodec codec, String cookieName, String headerName, long maxAgeSeconds,
			@Nullable Boolean cookieSecure) {
		this.codec = codec;
		this.cookieName = cookieName;
		this.headerName = headerName;
		this.maxAgeSeconds = maxAgeSeconds;
		this.cookieSecure = cookieSecure;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ConsistencyToken token = this.codec.decode(tokenOf(request));
		try (ConsistencyContext.Handle scope = ConsistencyContext.open(token,
				(written) -> send(request, response, written))) {
			chain.doFilter(request, response);
		}
	}

	private @Nullable String tokenOf(HttpServletRequest request) {
		String header = request.getHeader(this.headerName);
		if (header != null) {
			return header;
		}
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (this.cookieName.equals(cookie.getName())) {
					return cookie.getValue();
				}
			}
		}
		return null;
	}

	private void send(HttpServletRequest request, HttpServletResponse response, ConsistencyToken token) {
		if (response.isCommitted()) {
			return;
		}
		String value = this.codec.encode(token);
		response.setHeader(this.headerName, value);
		// A later Set-Cookie of the same name replaces an earlier one in the client.
		response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(this.cookieName, value)
			.path("/")
			.httpOnly(true)
			.secure((this.cookieSecure != null) ? this.cookieSecure : request.isSecure())
			.sameSite("Lax")
			.maxAge(this.maxAgeSeconds)
			.build()
			.toString());
	}

	@Override
	public int getOrder() {
		// Early, so that everything the request does, open-in-view included, runs inside the scope.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
