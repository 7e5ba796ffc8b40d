package io.github.replicarouting.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Takes the primary's connection from a {@link JdbcConnectionDetails} bean when there is one ({@code @ServiceConnection}
 * on a Testcontainers database, Docker Compose), as Boot's own {@code DataSource} does: it wins over
 * {@code routing.datasource.primary.url}, {@code username} and {@code password}.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConnectionDetailsConfiguration {

	@Bean
	static BeanPostProcessor routingConnectionDetailsPostProcessor(
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		return new ConnectionDetailsPostProcessor(connectionDetails);
	}

	/**
	 * Applies the connection details once the properties are bound (binding is a {@code PriorityOrdered} post
	 * processor, so it runs first).
	 */
	static final class ConnectionDetailsPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<JdbcConnectionDetails> connectionDetails;

		ConnectionDetailsPostProcessor(ObjectProvider<JdbcConnectionDetails> connectionDetails) {
			this.connectionDetails = connectionDetails;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			if (bean instanceof RoutingDataSourceProperties properties) {
				JdbcConnectionDetails details = this.connectionDetails.getIfUnique();
				if (details != null && !isFromSpringDatasourceProperties(details)) {
					RoutingDataSourceProperties.Node primary = properties.getPrimary();
					primary.setUrl(details.getJdbcUrl());
					primary.setUsername(details.getUsername());
					primary.setPassword(details.getPassword());
					primary.setDriverClassName(details.getDriverClassName());
				}
			}
			return bean;
		}

		/**
		 * Boot's own details reflect {@code spring.datasource.*}, which the routing data source does not use.
		 */
		private static boolean isFromSpringDatasourceProperties(JdbcConnectionDetails details) {
			return details.getClass().getSimpleName().equals("PropertiesJdbcConnectionDetails");
		}

	}

}
