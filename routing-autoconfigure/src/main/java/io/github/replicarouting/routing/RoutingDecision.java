package io.github.replicarouting.routing;

/**
 * A physical connection handed out by the {@link RoutingDataSource}: to which node, in which role, and why.
 *
 * @param node the node name ({@code primary} or a replica name)
 * @param route the role of that node
 * @param reason why it was chosen
 * @since 0.1.0
 */
public record RoutingDecision(String node, Route route, RoutingReason reason) {
}
