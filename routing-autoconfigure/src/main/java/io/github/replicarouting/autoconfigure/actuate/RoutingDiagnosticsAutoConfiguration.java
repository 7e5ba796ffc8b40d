package io.github.replicarouting.autoconfigure.actuate;

import io.github.replicarouting.actuate.RoutingDecisionLogger;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for the DEBUG log of
 * routing decisions and the startup warnings about setups that defeat routing.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RoutingDataSourceAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class RoutingDiagnosticsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RoutingDecisionLogger routingDecisionLogger() {
		return new RoutingDecisionLogger();
	}

	@Bean
	RoutingSetupChecks.InterceptorOrder routingInterceptorOrderCheck(ListableBeanFactory beanFactory) {
		return new RoutingSetupChecks.InterceptorOrder(beanFactory);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ EntityManagerFactory.class, OpenEntityManagerInViewInterceptor.class })
	static class OpenInViewCheckConfiguration {

		@Bean
		RoutingSetupChecks.OpenInView routingOpenInViewCheck(ListableBeanFactory beanFactory) {
			return new RoutingSetupChecks.OpenInView(beanFactory);
		}

	}

}
