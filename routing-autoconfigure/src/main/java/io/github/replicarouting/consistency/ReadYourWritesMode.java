package io.github.replicarouting.consistency;

import java.time.Duration;

/**
 * How reads that follow a write in the same scope avoid stale replicas. Each value creates the
 * {@code ReadYourWritesStrategy} that implements it.
 *
 * @since 0.1.0
 */
public enum ReadYourWritesMode {

	/** No guarantee: a read right after a write may miss it on a lagging replica. */
	NONE {

		@Override
		ReadYourWritesStrategy strategy(Duration stickyWindow, Duration causalWaitTimeout) {
			return NoReadYourWrites.INSTANCE;
		}

	},

	/** After a write, the scope's reads go to the writer for {@code sticky-window}. */
	STICKY {

		@Override
		ReadYourWritesStrategy strategy(Duration stickyWindow, Duration causalWaitTimeout) {
			return new StickyReadYourWrites(stickyWindow);
		}

	},

	/**
	 * After a write, the scope's reads go to a replica that has applied the write's GTID (waiting up to
	 * {@code causal-wait-timeout} for one), else to the writer.
	 */
	CAUSAL {

		@Override
		ReadYourWritesStrategy strategy(Duration stickyWindow, Duration causalWaitTimeout) {
			return new CausalReadYourWrites(stickyWindow, causalWaitTimeout);
		}

	};

	/**
	 * The strategy that implements this mode.
	 * @param stickyWindow how long reads stay on the writer after a write whose position is not used
	 * @param causalWaitTimeout how long a read waits for a replica to apply a write
	 * @return the strategy
	 */
	abstract ReadYourWritesStrategy strategy(Duration stickyWindow, Duration causalWaitTimeout);

}
