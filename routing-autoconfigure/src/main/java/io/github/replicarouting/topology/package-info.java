/**
 * The nodes behind the router and what is known about them: up or down, lagging or not, which one currently takes
 * writes, and the background monitor that finds out.
 */
@NullMarked
package io.github.replicarouting.topology;

import org.jspecify.annotations.NullMarked;
