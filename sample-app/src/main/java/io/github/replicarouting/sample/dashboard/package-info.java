/**
 * The live routing page: a JSON view of where reads and writes went (from the starter's {@code routing} endpoint and
 * metrics), traffic generators to watch routing happen, and the panel that breaks nodes of the embedded cluster or
 * takes them out of rotation.
 */
@NullMarked
package io.github.replicarouting.sample.dashboard;

import org.jspecify.annotations.NullMarked;
