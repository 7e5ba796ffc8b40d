/**
 * Spring Boot wiring: {@code routing.datasource.*} properties, connection pools built from them, the routing
 * {@code DataSource}, the annotation interceptor and failure analysis for misconfiguration.
 */
@NullMarked
package io.github.replicarouting.autoconfigure;

import org.jspecify.annotations.NullMarked;
