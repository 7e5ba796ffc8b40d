/**
 * Operating the router: Actuator health per node, the {@code routing} endpoint, Micrometer metrics and observation
 * attributes for routing decisions, and their DEBUG log.
 */
@NullMarked
package io.github.replicarouting.actuate;

import org.jspecify.annotations.NullMarked;
