package io.github.replicarouting.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes Hibernate give its connection back after each transaction. Spring's default keeps the first connection for the
 * whole session, and with open-in-view a request that reads (replica) and then writes would write through the
 * replica's connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HibernatePropertiesCustomizer.class)
class RoutingHibernateConfiguration {

	static final String CONNECTION_HANDLING = "hibernate.connection.handling_mode";

	@Bean
	HibernatePropertiesCustomizer routingConnectionHandlingCustomizer() {
		return (properties) -> properties.putIfAbsent(CONNECTION_HANDLING,
				"DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION");
	}

}
