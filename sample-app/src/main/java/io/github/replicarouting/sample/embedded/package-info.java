/**
 * The embedded MariaDB primary and replicas the sample starts when no database is configured.
 */
@NullMarked
package io.github.replicarouting.sample.embedded;

import org.jspecify.annotations.NullMarked;
