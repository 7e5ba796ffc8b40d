package io.github.replicarouting.consistency;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ReadYourWritesFilterTests {

	private final ConsistencyTokenCodec codec = new ConsistencyTokenCodec("0123456789abcdef".getBytes(),
			Duration.ofSeconds(60));

	@Test
	void cookieIsSecureOnSecureRequests() throws Exception {
		assertThat(cookieAfterAWrite(filter(null), true)).contains("; Secure").contains("; HttpOnly")
			.contains("; SameSite=Lax");
		assertThat(cookieAfterAWrite(filter(null), false)).doesNotContain("Secure");
	}

	@Test
	void cookieSecureCanBeForcedEitherWay() throws Exception {
		// Behind a proxy that terminates TLS without forwarding the scheme, the request looks insecure.
		assertThat(cookieAfterAWrite(filter(true), false)).contains("; Secure");
		assertThat(cookieAfterAWrite(filter(false), true)).doesNotContain("Secure");
	}

	@Test
	void existingConstructorFollowsTheRequest() throws Exception {
		ReadYourWritesFilter filter = new ReadYourWritesFilter(this.codec, "routing-consistency",
				"X-Routing-Consistency", 60);
		assertThat(cookieAfterAWrite(filter, true)).contains("; Secure");
	}

	private ReadYourWritesFilter filter(@Nullable Boolean cookieSecure) {
		return new ReadYourWritesFilter(this.codec, "routing-consistency", "X-Routing-Consistency", 60, cookieSecure);
	}

	private static String cookieAfterAWrite(ReadYourWritesFilter filter, boolean secure) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/tickets");
		request.setSecure(secure);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain() {

			@Override
			public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
				ConsistencyContext.record(new ConsistencyToken(System.currentTimeMillis(), "0-1-42", true));
			}

		});
		String cookie = response.getHeader(HttpHeaders.SET_COOKIE);
		assertThat(cookie).startsWith("routing-consistency=");
		return cookie;
	}

}
