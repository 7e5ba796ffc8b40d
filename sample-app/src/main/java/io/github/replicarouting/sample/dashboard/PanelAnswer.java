package io.github.replicarouting.sample.dashboard;

/**
 * What a button of the live page's fault and operations panel did.
 *
 * @param node the node name
 * @param action the fault or operation, as named in the URL
 * @param result what changed, for people
 * @since 0.1.0
 */
public record PanelAnswer(String node, String action, String result) {
}
