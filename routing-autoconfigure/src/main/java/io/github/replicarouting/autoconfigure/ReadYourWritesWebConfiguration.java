package io.github.replicarouting.autoconfigure;

import java.nio.charset.StandardCharsets;

import io.github.replicarouting.consistency.ConsistencyTokenCodec;
import io.github.replicarouting.consistency.ReadYourWritesFilter;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In servlet web applications with read-your-writes on: each request is a consistency scope, and the last write's
 * token travels to the client and back in a signed cookie or header.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
class ReadYourWritesWebConfiguration {

	private static final Log logger = LogFactory.getLog(ReadYourWritesWebConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ReadYourWritesFilter readYourWritesFilter(RoutingDataSourceProperties properties) {
		RoutingDataSourceProperties.ConsistencyTokenSettings settings = properties.getConsistencyToken();
		byte[] secret;
		if (settings.getSecret() != null) {
			secret = settings.getSecret().getBytes(StandardCharsets.UTF_8);
			if (secret.length < 16) {
				throw new RoutingConfigurationException(
						"routing.datasource.consistency-token.secret is too short (" + secret.length + " bytes).",
						"Use a secret of at least 16 bytes, the same on every instance of the application.");
			}
		}
		else {
			secret = ConsistencyTokenCodec.randomSecret();
			if (properties.getReadYourWrites() != ReadYourWritesMode.NONE) {
				logger.warn("No routing.datasource.consistency-token.secret set: using a random one, so a client's "
						+ "read-your-writes token only holds on this instance. Set the same secret on every instance.");
			}
		}
		return new ReadYourWritesFilter(new ConsistencyTokenCodec(secret, settings.getMaxAge()),
				settings.getCookieName(), settings.getHeaderName(), settings.getMaxAge().toSeconds(),
				settings.getCookieSecure());
	}

}
