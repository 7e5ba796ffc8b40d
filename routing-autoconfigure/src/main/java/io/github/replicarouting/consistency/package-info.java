/**
 * Read-your-writes: what a scope remembers after a write (a commit time, a GTID), where that memory lives (a thread, an
 * HTTP request, a signed cookie, a task handed to another thread), and how a read uses it to avoid stale replicas.
 */
@NullMarked
package io.github.replicarouting.consistency;

import org.jspecify.annotations.NullMarked;
