package io.github.replicarouting.test;

/**
 * Elapsed times for the cluster's log lines.
 */
final class Elapsed {

	private Elapsed() {
	}

	static long millisSince(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
	}

}
