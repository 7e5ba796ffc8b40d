package io.github.replicarouting.sample.web;

import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingDecision;
import io.github.replicarouting.routing.RoutingListener;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records every physical connection the router hands out during an HTTP request, for {@link RoutingHeadersFilter}.
 *
 * @since 0.1.0
 */
@Component
public class RoutingHeadersListener implements RoutingListener {

	@Override
	public void onConnection(RoutingDecision decision) {
		RequestRouting routing = RequestRouting.current();
		if (routing == null) {
			return;
		}
		// A read-only transaction counts as a read even when the primary serves it (no replica configured, or
		// @UsePrimary for read-your-writes). The router takes the physical connection at the first statement, after
		// the transaction has published its read-only flag.
		boolean read = decision.route() == Route.REPLICA
				|| TransactionSynchronizationManager.isCurrentTransactionReadOnly();
		routing.record(decision.node(), read);
	}

}
