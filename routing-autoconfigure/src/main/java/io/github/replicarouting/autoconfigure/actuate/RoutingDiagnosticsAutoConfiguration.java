package io.github.replicarouting.autoconfigure.actuate;

import io.github.replicarouting.actuate.RoutingDecisionLogger;
import io.github.replicarouting.autoconfigure.RoutingDataSourceAutoConfiguration;
import io.github.replicarouting.routing.RoutingDataSource;
import jakarta.persistence.EntityManagerFactory;

import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
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

	/**
	 * Only when its DEBUG log is on at startup ({@code logging.level.io.github.replicarouting.actuate
	 * .RoutingDecisionLogger=debug}): a listener costs every routed connection something (the router walks its
	 * listeners), even one that then finds its log off.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Conditional(DecisionLogEnabledCondition.class)
	RoutingDecisionLogger routingDecisionLogger() {
		return new RoutingDecisionLogger();
	}

	static final class DecisionLogEnabledCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("RoutingDecisionLogger");
			// Boot has applied logging.level.* by now (LoggingApplicationListener, before the context refreshes).
			return LogFactory.getLog(RoutingDecisionLogger.class).isDebugEnabled()
					? ConditionOutcome.match(message.because("its log is at DEBUG"))
					: ConditionOutcome.noMatch(message.because("its log is not at DEBUG"));
		}

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
