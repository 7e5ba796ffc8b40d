package io.github.replicarouting.actuate;

import io.github.replicarouting.routing.RoutingContext;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Logs every routing decision at DEBUG, one line each: node, route, reason and what asked for it, e.g.
 * {@code Connection from 'replica-1' (replica, readonly-tx) for com.example.EventService.find}. Enable with
 * {@code logging.level.io.github.replicarouting.actuate.RoutingDecisionLogger=debug}.
 *
 * @since 0.1.0
 */
public final class RoutingDecisionLogger implements RoutingListener {

	private static final Log logger = LogFactory.getLog(RoutingDecisionLogger.class);

	@Override
	public void onConnection(RoutingDecision decision) {
		if (!logger.isDebugEnabled()) {
			return;
		}
		StringBuilder message = new StringBuilder("Connection from '").append(decision.node())
			.append("' (")
			.append(Names.of(decision.route()))
			.append(", ")
			.append(Names.of(decision.reason()))
			.append(')');
		String origin = RoutingContext.currentOrigin();
		if (origin == null) {
			origin = TransactionSynchronizationManager.getCurrentTransactionName();
		}
		if (origin != null) {
			message.append(" for ").append(origin);
		}
		logger.debug(message);
	}

}
