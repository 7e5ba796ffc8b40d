package io.github.replicarouting.consistency;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
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
	 * A token for a write committed on a node of the given flavour.
	 * @param committedAtMillis commit time, epoch milliseconds
	 * @param gtid the position a read must have to see the write, if known
	 * @param flavour the flavour of the writer that committed it
	 * @return the token
	 */
	public static ConsistencyToken of(long committedAtMillis, @Nullable String gtid, DatabaseFlavour flavour) {
		return new ConsistencyToken(committedAtMillis, gtid, flavour == DatabaseFlavours.MARIADB);
	}

	/**
	 * The flavour whose format {@code gtid} is in (the token carries only MariaDB or MySQL positions).
	 * @return the flavour
	 */
	public DatabaseFlavour flavour() {
		return this.mariaDb ? DatabaseFlavours.MARIADB : DatabaseFlavours.MYSQL;
	}

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
