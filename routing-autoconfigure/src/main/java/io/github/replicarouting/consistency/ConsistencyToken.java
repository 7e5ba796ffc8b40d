package io.github.replicarouting.consistency;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.database.GtidPosition;
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
	 * Two commits of one scope merged: the newer commit's time, and a position that includes both commits'
	 * positions. A later commit may report an older position (a read-write transaction that wrote nothing, on a
	 * session that last wrote long ago, reads that session's old {@code @@last_gtid}); keeping it alone would let a
	 * causal read be served by a replica that lacks the scope's newest write.
	 * @param other another token, may be {@code null}
	 * @return the merged token
	 */
	public ConsistencyToken latest(@Nullable ConsistencyToken other) {
		if (other == null) {
			return this;
		}
		ConsistencyToken newer = (other.committedAtMillis > this.committedAtMillis) ? other : this;
		ConsistencyToken older = (newer == this) ? other : this;
		if (older.gtid == null) {
			return newer;
		}
		if (newer.gtid == null) {
			return new ConsistencyToken(newer.committedAtMillis, older.gtid, older.mariaDb);
		}
		if (newer.mariaDb != older.mariaDb) {
			// The writer changed database between the commits: the positions cannot be compared.
			return newer;
		}
		String both = newer.mariaDb ? uniteMariaDb(newer.gtid, older.gtid) : uniteMySql(newer.gtid, older.gtid);
		return both.equals(newer.gtid) ? newer : new ConsistencyToken(newer.committedAtMillis, both, newer.mariaDb);
	}

	/** Per domain the GTID with the highest sequence: a MariaDB replica applies each domain in order. */
	private static String uniteMariaDb(String newer, String older) {
		Map<String, String> highest = new LinkedHashMap<>();
		Map<String, Long> sequences = new LinkedHashMap<>();
		for (String gtid : (newer + "," + older).split(",")) {
			String trimmed = gtid.trim();
			String[] parts = trimmed.split("-");
			if (parts.length != 3) {
				return newer;
			}
			long sequence;
			try {
				sequence = Long.parseLong(parts[2]);
			}
			catch (NumberFormatException ex) {
				return newer;
			}
			Long known = sequences.get(parts[0]);
			if (known == null || sequence > known) {
				sequences.put(parts[0], sequence);
				highest.put(parts[0], trimmed);
			}
		}
		return String.join(",", highest.values());
	}

	/** A MySQL GTID set may name a UUID more than once: the union is both sets, unless one includes the other. */
	private static String uniteMySql(String newer, String older) {
		try {
			GtidPosition newerPosition = GtidPosition.parseMySql(newer);
			GtidPosition olderPosition = GtidPosition.parseMySql(older);
			if (newerPosition.includes(olderPosition)) {
				return newer;
			}
			if (olderPosition.includes(newerPosition)) {
				return older;
			}
			return newer + "," + older;
		}
		catch (IllegalArgumentException ex) {
			return newer;
		}
	}

}
