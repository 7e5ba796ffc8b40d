package io.github.replicarouting.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Takes the primary's connection from a {@link JdbcConnectionDetails} bean when there is one ({@code @ServiceConnection}
 * on a Testcontainers database, Docker Compose), as Boot's own {@code DataSource} does: it wins over
 * {@code routing.datasource.primary.url}, {@code username} and {@code password}. Without either, the primary is
 * {@code spring.datasource.url}, {@code username}, {@code password} and {@code driver-class-name}, so that an existing
 * application only has to add its replicas.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConnectionDetailsConfiguration {

	@Bean
	static BeanPostProcessor routingConnectionDetailsPostProcessor(
			ObjectProvider<JdbcConnectionDetails> connectionDetails, Environment environment) {
		return new ConnectionDetailsPostProcessor(connectionDetails, environment);
	}

	/**
	 * Applies the connection details once the properties are bound (binding is a {@code PriorityOrdered} post
	 * processor, so it runs first).
	 */
	static final class ConnectionDetailsPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<JdbcConnectionDetails> connectionDetails;

		private final Environment environment;

		ConnectionDetailsPostProcessor(ObjectProvider<JdbcConnectionDetails> connectionDetails,
				Environment environment) {
			this.connectionDetails = connectionDetails;
			this.environment = environment;
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
				else if (!StringUtils.hasText(properties.getPrimary().getUrl())) {
					applySpringDatasourceProperties(properties.getPrimary());
				}
			}
			return bean;
		}

		private void applySpringDatasourceProperties(RoutingDataSourceProperties.Node primary) {
			DataSourceProperties spring = Binder.get(this.environment)
				.bind("spring.datasource", DataSourceProperties.class)
				.orElse(null);
			if (spring != null && StringUtils.hasText(spring.getUrl())) {
				primary.setUrl(spring.getUrl());
				primary.setUsername(spring.getUsername());
				primary.setPassword(spring.getPassword());
				primary.setDriverClassName(spring.getDriverClassName());
			}
		}

		/**
		 * Boot's own details reflect {@code spring.datasource.*}, which the routing data source does not use.
		 */
		private static boolean isFromSpringDatasourceProperties(JdbcConnectionDetails details) {
			return details.getClass().getSimpleName().equals("PropertiesJdbcConnectionDetails");
		}

	}

}
