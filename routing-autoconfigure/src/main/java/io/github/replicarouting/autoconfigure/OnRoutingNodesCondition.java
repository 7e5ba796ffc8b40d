package io.github.replicarouting.autoconfigure;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when some routing node is configured ({@code routing.datasource.primary}, {@code replicas} or
 * {@code standbys}) and {@link DataSourceAutoConfiguration} is not excluded. Evaluated when beans are registered, once
 * every auto-configuration import, and so every exclusion, is known.
 */
class OnRoutingNodesCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final Log logger = LogFactory.getLog(RoutingDataSourceAutoConfiguration.class);

	private static final List<String> NODES = List.of("routing.datasource.primary", "routing.datasource.replicas",
			"routing.datasource.standbys");

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("RoutingNodes");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (beanFactory != null && ConditionEvaluationReport.get(beanFactory)
			.getExclusions()
			.contains(DataSourceAutoConfiguration.class.getName())) {
			return ConditionOutcome.noMatch(message.because(DataSourceAutoConfiguration.class.getSimpleName()
					+ " is excluded"));
		}
		Binder binder = Binder.get(context.getEnvironment());
		for (String node : NODES) {
			if (!binder.bind(node, Bindable.mapOf(String.class, String.class)).orElse(Map.of()).isEmpty()) {
				return ConditionOutcome.match(message.found("routing node settings").items(node));
			}
		}
		logger.info("Routing is inactive: no routing.datasource.primary, replicas or standbys are configured, so the "
				+ "application's DataSource is used as is. To send reads to replicas, add "
				+ "routing.datasource.replicas.<name>.url for each; the primary is spring.datasource.url (with its "
				+ "username and password) unless routing.datasource.primary.url is set.");
		return ConditionOutcome.noMatch(message.didNotFind("routing node settings").items(NODES));
	}

}
