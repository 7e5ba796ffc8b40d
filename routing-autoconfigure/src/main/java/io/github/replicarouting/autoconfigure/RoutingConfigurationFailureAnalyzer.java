package io.github.replicarouting.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RoutingConfigurationException} into a startup report that says what is wrong and what to do.
 */
class RoutingConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RoutingConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RoutingConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
