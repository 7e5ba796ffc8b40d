/**
 * The core of read/write splitting: the per-thread routing context, the routing {@code DataSource} that turns it into a
 * connection from the primary or a replica, and the strategies that spread reads over replicas.
 */
@NullMarked
package io.github.replicarouting.routing;

import org.jspecify.annotations.NullMarked;
