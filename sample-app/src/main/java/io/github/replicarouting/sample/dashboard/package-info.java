/**
 * The live routing page: a JSON view of where reads and writes went (from the starter's {@code routing} endpoint and
 * metrics), and traffic generators to watch routing happen.
 */
@NullMarked
package io.github.replicarouting.sample.dashboard;

import org.jspecify.annotations.NullMarked;
