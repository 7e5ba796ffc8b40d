package io.github.replicarouting.consistency;

import org.jspecify.annotations.Nullable;

/**
 * What a scope remembers of its last write: when it committed and, in causal mode, its GTID.
 *
 * @param committedAtMillis commit time, epoch milliseconds
 * @param gtid the position a read must have to see the write, if known: the write's GTID on MariaDB
 * ({@code 0-1-42}), the writer's own intervals of its executed set on MySQL ({@code uuid:1-42})
 * @param mariaDb whether {@code gtid} is in MariaDB's format
 * @since 0.1.0
 */
public record ConsistencyToken(long committedAtMillis, @Nullable String gtid, boolean mariaDb) {

	/**
	 * The later of two tokens: the newer commit, keeping a GTID if only the older one has it.
	 * @param other another token, may be {@code null}
	 * @return the merged token
	 */
	public ConsistencyToken latest(@Nullable ConsistencyToken other) {
		if (other == null) {
			return this;
		}
		ConsistencyToken newer = (other.committedAtMillis > this.committedAtMillis) ? other : this;
		ConsistencyToken older = (newer == this) ? other : this;
		if (newer.gtid == null && older.gtid != null) {
			return new ConsistencyToken(newer.committedAtMillis, older.gtid, older.mariaDb);
		}
		return newer;
	}

}
