package io.github.replicarouting.autoconfigure.actuate;

import java.util.Map;

import io.github.replicarouting.routing.RoutingAnnotationAdvisor;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewFilter;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * Once the context is ready, warns (once, with the fix) about setups that silently defeat routing.
 */
final class RoutingSetupChecks {

	static final String HANDLING_MODE = "hibernate.connection.handling_mode";

	private static final Log logger = LogFactory.getLog(RoutingSetupChecks.class);

	private RoutingSetupChecks() {
	}

	/**
	 * The {@code @ReadOnly}/{@code @UsePrimary} interceptor must run before the transaction interceptor: inside it, a
	 * {@code @ReadOnly @Transactional} method has taken its connection before the route is set.
	 */
	static final class InterceptorOrder implements SmartInitializingSingleton {

		private final ListableBeanFactory beanFactory;

		InterceptorOrder(ListableBeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void afterSingletonsInstantiated() {
			RoutingAnnotationAdvisor routing = this.beanFactory.getBeanProvider(RoutingAnnotationAdvisor.class)
				.getIfUnique();
			if (routing == null) {
				return;
			}
			for (BeanFactoryTransactionAttributeSourceAdvisor transactions : this.beanFactory
				.getBeansOfType(BeanFactoryTransactionAttributeSourceAdvisor.class, false, false)
				.values()) {
				if (routing.getOrder() >= transactions.getOrder()) {
					logger.warn("Routing is defeated for @ReadOnly and @UsePrimary methods that are also @Transactional: "
							+ "the routing interceptor (order " + routing.getOrder()
							+ ") runs inside the transaction interceptor (order " + transactions.getOrder()
							+ "), so their transaction takes its connection before the route is set. Set "
							+ "routing.datasource.interceptor-order below " + transactions.getOrder()
							+ " (default " + (Integer.MAX_VALUE - 100) + "), or @EnableTransactionManagement(order) above "
							+ routing.getOrder() + ".");
					return;
				}
			}
		}

	}

	/**
	 * With open-in-view, a request's Hibernate session lives as long as the request; a connection handling mode that
	 * holds the connection for the session then pins every statement of the request to the node of its first query.
	 */
	static final class OpenInView implements SmartInitializingSingleton {

		private final ListableBeanFactory beanFactory;

		OpenInView(ListableBeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void afterSingletonsInstantiated() {
			if (!openInView()) {
				return;
			}
			for (EntityManagerFactory entityManagerFactory : this.beanFactory
				.getBeansOfType(EntityManagerFactory.class, false, false)
				.values()) {
				Map<String, Object> properties = entityManagerFactory.getProperties();
				Object mode = properties.get(HANDLING_MODE);
				if (mode != null && mode.toString().endsWith("_HOLD")) {
					logger.warn("Routing is defeated within web requests: spring.jpa.open-in-view keeps one Hibernate "
							+ "session per request and " + HANDLING_MODE + "=" + mode + " holds its connection "
							+ "until the request ends, so every statement of a request runs on the node of its first "
							+ "query (a write after a replica read fails on the read-only replica). Remove "
							+ "spring.jpa.properties." + HANDLING_MODE + " (the starter then sets "
							+ "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION), or set spring.jpa.open-in-view=false.");
					return;
				}
			}
		}

		private boolean openInView() {
			return this.beanFactory.getBeanNamesForType(OpenEntityManagerInViewInterceptor.class, false, false).length > 0
					|| this.beanFactory.getBeanNamesForType(OpenEntityManagerInViewFilter.class, false, false).length > 0;
		}

	}

}
