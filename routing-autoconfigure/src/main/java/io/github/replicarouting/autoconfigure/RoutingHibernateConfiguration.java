package io.github.replicarouting.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.ConnectionReleaseMode;
import org.hibernate.resource.jdbc.spi.PhysicalConnectionHandlingMode;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.AbstractEntityManagerFactoryBean;
import org.springframework.orm.jpa.JpaVendorAdapter;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

/**
 * Makes Hibernate give its connection back after each transaction, and lets transactions set an isolation level all
 * the same. Spring's default keeps the first connection for the whole session, and with open-in-view a request that
 * reads (replica) and then writes would write through the replica's connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ HibernatePropertiesCustomizer.class, HibernateJpaDialect.class })
@ConditionalOnBean(RoutingDataSource.class)
class RoutingHibernateConfiguration {

	static final String CONNECTION_HANDLING = "hibernate.connection.handling_mode";

	private static final PhysicalConnectionHandlingMode RELEASE_AFTER_TRANSACTION = PhysicalConnectionHandlingMode.DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION;

	private static final Log logger = LogFactory.getLog(RoutingHibernateConfiguration.class);

	@Bean
	HibernatePropertiesCustomizer routingConnectionHandlingCustomizer() {
		return (properties) -> {
			Object own = properties.get(CONNECTION_HANDLING);
			if (own == null) {
				properties.put(CONNECTION_HANDLING, RELEASE_AFTER_TRANSACTION.name());
			}
			else {
				logCost(own);
			}
		};
	}

	@Bean
	static BeanPostProcessor routingJpaDialectPostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractEntityManagerFactoryBean factory && usesSpringsHibernateDialect(factory)
						&& isRouting(factory.getDataSource())) {
					factory.setJpaDialect(new RoutingHibernateJpaDialect());
				}
				return bean;
			}

		};
	}

	private static boolean usesSpringsHibernateDialect(AbstractEntityManagerFactoryBean factory) {
		JpaVendorAdapter vendorAdapter = factory.getJpaVendorAdapter();
		return factory.getJpaDialect() == null && vendorAdapter != null
				&& vendorAdapter.getJpaDialect().getClass() == HibernateJpaDialect.class;
	}

	private static boolean isRouting(@Nullable DataSource dataSource) {
		try {
			return dataSource != null && dataSource.isWrapperFor(RoutingDataSource.class);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void logCost(Object own) {
		PhysicalConnectionHandlingMode mode;
		try {
			mode = PhysicalConnectionHandlingMode.interpret(own);
		}
		catch (RuntimeException ex) {
			return; // Hibernate reports it.
		}
		if (mode == null || mode == RELEASE_AFTER_TRANSACTION) {
			return;
		}
		if (mode.getReleaseMode() == ConnectionReleaseMode.ON_CLOSE) {
			logger.warn(CONNECTION_HANDLING + "=" + mode + " is set: an EntityManager keeps its first connection "
					+ "until it closes, so with open-in-view (spring.jpa.open-in-view, on by default) a request that "
					+ "reads on a replica and then writes sends the write to that replica, where it fails. Leave it "
					+ "unset (routing uses " + RELEASE_AFTER_TRANSACTION + ") or set spring.jpa.open-in-view=false.");
		}
		else {
			logger.info(CONNECTION_HANDLING + "=" + mode + " is set: Hibernate still gives connections back by the end "
					+ "of each transaction, so routing still chooses a node per transaction.");
		}
	}

}
