/**
 * Spring Boot wiring for operating the router: Actuator health and the {@code routing} endpoint, Micrometer metrics
 * and observations, the DEBUG log of routing decisions and the startup warnings about setups that defeat routing.
 */
@NullMarked
package io.github.replicarouting.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
