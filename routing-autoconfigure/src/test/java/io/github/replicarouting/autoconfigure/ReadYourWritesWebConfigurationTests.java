package io.github.replicarouting.autoconfigure;

import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.consistency.ConsistencyToken;
import io.github.replicarouting.consistency.ReadYourWritesFilter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-your-writes filter as {@code routing.datasource.consistency-token.*} configures it (no database needed).
 */
class ReadYourWritesWebConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withUserConfiguration(Properties.class, ReadYourWritesWebConfiguration.class)
		.withPropertyValues("routing.datasource.consistency-token.secret=0123456789abcdef");

	@Test
	void cookieIsSecureOnSecureRequestsByDefault() {
		this.contextRunner.run((context) -> {
			ReadYourWritesFilter filter = context.getBean(ReadYourWritesFilter.class);
			assertThat(cookie(filter, true)).contains("; Secure");
			assertThat(cookie(filter, false)).doesNotContain("Secure");
		});
	}

	@Test
	void cookieSecureAlways() {
		this.contextRunner.withPropertyValues("routing.datasource.consistency-token.cookie-secure=true")
			.run((context) -> assertThat(cookie(context.getBean(ReadYourWritesFilter.class), false))
				.contains("; Secure"));
	}

	@Test
	void cookieSecureNever() {
		this.contextRunner.withPropertyValues("routing.datasource.consistency-token.cookie-secure=false")
			.run((context) -> assertThat(cookie(context.getBean(ReadYourWritesFilter.class), true))
				.doesNotContain("Secure"));
	}

	@Test
	void existingPropertiesStillApply() {
		this.contextRunner
			.withPropertyValues("routing.datasource.consistency-token.cookie-name=rw",
					"routing.datasource.consistency-token.max-age=30s")
			.run((context) -> assertThat(cookie(context.getBean(ReadYourWritesFilter.class), false))
				.startsWith("rw=")
				.contains("Max-Age=30"));
	}

	private static String cookie(ReadYourWritesFilter filter, boolean secure) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/tickets");
		request.setSecure(secure);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain() {

			@Override
			public void doFilter(ServletRequest req, ServletResponse res) {
				ConsistencyContext.record(new ConsistencyToken(System.currentTimeMillis(), "0-1-42", true));
			}

		});
		return response.getHeader(HttpHeaders.SET_COOKIE);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RoutingDataSourceProperties.class)
	static class Properties {

	}

}
