/**
 * A small ticketing application that shows primary/replica routing: purchases and new events are written to the
 * primary, listings and searches are read from replicas.
 */
@NullMarked
package io.github.replicarouting.sample;

import org.jspecify.annotations.NullMarked;
