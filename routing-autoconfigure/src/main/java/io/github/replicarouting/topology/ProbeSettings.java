package io.github.replicarouting.topology;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What every probe of one monitor shares: where to report, how long a node may take, the lag limit, and the writer's
 * recent positions that replica lag is measured against.
 */
record ProbeSettings(Topology topology, Duration timeout, @Nullable Duration maxLag,
		WriterPositionHistory writerPositions) {
}
