package io.github.replicarouting.topology;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A replication position as the highest transaction number per replication stream: per domain for MariaDB
 * ({@code 0-1-42,1-2-7}), per source UUID for MySQL ({@code 3e11fa47-...:1-42:50-60}). Comparing those numbers tells
 * whether one node has applied everything another had; gaps inside a MySQL GTID set are not tracked.
 *
 * @since 0.1.0
 */
public final class GtidPosition {

	/** A position with no transactions. */
	public static final GtidPosition EMPTY = new GtidPosition(Map.of(), "");

	private final Map<String, Long> highest;

	private final String text;

	private GtidPosition(Map<String, Long> highest, String text) {
		this.highest = highest;
		this.text = text;
	}

	/**
	 * Parse a MariaDB GTID list ({@code domain-server-sequence}, comma separated).
	 * @param text the value of {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos} or {@code @@gtid_current_pos}
	 * @return the position
	 */
	public static GtidPosition parseMariaDb(@Nullable String text) {
		Map<String, Long> highest = new LinkedHashMap<>();
		for (String gtid : split(text)) {
			String[] parts = gtid.split("-");
			if (parts.length != 3) {
				throw new IllegalArgumentException("Not a MariaDB GTID: '" + gtid + "' in '" + text + "'");
			}
			highest.merge(parts[0], Long.parseLong(parts[2]), Math::max);
		}
		return of(highest, text);
	}

	/**
	 * Parse a MySQL GTID set ({@code uuid:interval[:interval...]}, comma separated).
	 * @param text the value of {@code @@gtid_executed}
	 * @return the position
	 */
	public static GtidPosition parseMySql(@Nullable String text) {
		Map<String, Long> highest = new LinkedHashMap<>();
		for (String set : split(text)) {
			String[] parts = set.split(":");
			if (parts.length < 2) {
				throw new IllegalArgumentException("Not a MySQL GTID set: '" + set + "' in '" + text + "'");
			}
			long max = 0;
			for (int i = 1; i < parts.length; i++) {
				String interval = parts[i];
				int dash = interval.indexOf('-');
				max = Math.max(max, Long.parseLong((dash >= 0) ? interval.substring(dash + 1) : interval));
			}
			highest.merge(parts[0].toLowerCase(java.util.Locale.ROOT), max, Math::max);
		}
		return of(highest, text);
	}

	private static GtidPosition of(Map<String, Long> highest, @Nullable String text) {
		return highest.isEmpty() ? EMPTY : new GtidPosition(Collections.unmodifiableMap(highest), text.trim());
	}

	private static String[] split(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return new String[0];
		}
		return text.replace("\n", "").replace(" ", "").split(",");
	}

	/**
	 * Whether this position has every transaction of {@code other} (per stream, a number at least as high).
	 * @param other another position
	 * @return {@code true} if nothing of {@code other} is missing here
	 */
	public boolean includes(GtidPosition other) {
		for (Map.Entry<String, Long> entry : other.highest.entrySet()) {
			Long mine = this.highest.get(entry.getKey());
			if (mine == null || mine < entry.getValue()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the position holds no transaction at all.
	 * @return {@code true} if empty
	 */
	public boolean isEmpty() {
		return this.highest.isEmpty();
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj instanceof GtidPosition other) && this.highest.equals(other.highest);
	}

	@Override
	public int hashCode() {
		return this.highest.hashCode();
	}

	@Override
	public String toString() {
		return this.text;
	}

}
