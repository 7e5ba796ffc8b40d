/**
 * What applications touch: the {@link io.github.replicarouting.ReadOnly} and {@link io.github.replicarouting.UsePrimary}
 * annotations, the {@link io.github.replicarouting.Routing} API for code that cannot be annotated, and the exceptions
 * routing can raise.
 */
@NullMarked
package io.github.replicarouting;

import org.jspecify.annotations.NullMarked;
