/**
 * Events and ticket purchases: entities, repositories and the transactional services that decide which node serves
 * each operation.
 */
@NullMarked
package io.github.replicarouting.sample.ticketing;

import org.jspecify.annotations.NullMarked;
