package io.github.replicarouting.database;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A replication position: the transactions a node has, per replication stream. For MariaDB a stream is a domain and
 * a position is its highest sequence number ({@code 0-1-42,1-2-7}); for MySQL a stream is a source UUID, or a UUID
 * and a tag (MySQL 8.3+), and a position is the exact set of intervals it has ({@code 3e11fa47-...:1-5:7-9:mytag:1-3}):
 * a MySQL node with {@code uuid:1-5:7-9} has not applied {@code uuid:6}.
 *
 * <p>Longer than the other classes because parsing and set arithmetic for both GTID formats belong together.
 *
 * <p>Lives in its own module, {@code routing-gtid}, so that the embedded test cluster parses positions with it too
 * without depending on the library (whose tests depend on that cluster). The package is the library's; its
 * {@code package-info} stays there, hence {@code @NullMarked} here.
 *
 * @since 0.1.0
 */
@NullMarked
public final class GtidPosition {

	/** A position with no transactions. */
	public static final GtidPosition EMPTY = new GtidPosition(Map.of(), "");

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final Pattern TAG = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,31}");

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private static final long[] NONE = new long[0];

	/**
	 * Per stream, sorted disjoint intervals as {@code [start0, end0, start1, end1, ...]}, inclusive. MySQL streams are
	 * keyed {@code uuid} or {@code uuid:tag} (lower case), so that sorting the keys puts a UUID's untagged intervals
	 * before its tags, as MySQL prints them.
	 */
	private final Map<String, long[]> streams;

	private final String text;

	private GtidPosition(Map<String, long[]> streams, String text) {
		this.streams = streams;
		this.text = text;
	}

	/**
	 * Parse a MariaDB GTID list ({@code domain-server-sequence}, comma separated).
	 * @param text the value of {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos} or {@code @@gtid_current_pos}
	 * @return the position
	 * @throws IllegalArgumentException if the text is not a GTID list
	 */
	public static GtidPosition parseMariaDb(@Nullable String text) {
		Map<String, long[]> highest = new TreeMap<>();
		for (String gtid : split(text)) {
			String[] parts = gtid.split("-");
			if (parts.length != 3) {
				throw malformed("MariaDB GTID", gtid, text);
			}
			long sequence = number(parts[2], gtid, text);
			if (sequence > 0) {
				// Everything up to the highest sequence of a domain counts as applied (in-order replication).
				highest.merge(parts[0], new long[] { 1, sequence }, (a, b) -> (a[1] >= b[1]) ? a : b);
			}
		}
		return of(highest, text);
	}

	/**
	 * Parse a MySQL GTID set: comma-separated {@code uuid[:tag]:interval[:interval...]}, where an interval is
	 * {@code n} or {@code m-n} and, since MySQL 8.3, a tag ({@code [a-z_][a-z0-9_]*}, up to 32 characters, case
	 * insensitive) starts the intervals of that tag.
	 * @param text the value of {@code @@gtid_executed}, or a set in the same format
	 * @return the position
	 * @throws IllegalArgumentException if the text is not a GTID set
	 */
	public static GtidPosition parseMySql(@Nullable String text) {
		Map<String, List<long[]>> intervals = new TreeMap<>();
		for (String set : split(text)) {
			String[] parts = set.split(":", -1);
			if (parts.length < 2 || !UUID.matcher(parts[0]).matches()) {
				throw malformed("MySQL GTID set", set, text);
			}
			String uuid = parts[0].toLowerCase(Locale.ROOT);
			String stream = uuid;
			boolean streamHasIntervals = false;
			for (int i = 1; i < parts.length; i++) {
				String part = parts[i];
				if (!part.isEmpty() && !Character.isDigit(part.charAt(0))) {
					if (!TAG.matcher(part).matches() || (i > 1 && !streamHasIntervals)) {
						throw malformed("MySQL GTID set", set, text);
					}
					stream = uuid + ":" + part.toLowerCase(Locale.ROOT);
					streamHasIntervals = false;
					continue;
				}
				intervals.computeIfAbsent(stream, (key) -> new ArrayList<>()).add(interval(part, set, text));
				streamHasIntervals = true;
			}
			if (!streamHasIntervals) {
				throw malformed("MySQL GTID set", set, text);
			}
		}
		Map<String, long[]> streams = new TreeMap<>();
		intervals.forEach((stream, list) -> streams.put(stream, merge(list)));
		return of(streams, text);
	}

	private static long[] interval(String part, String set, @Nullable String text) {
		int dash = part.indexOf('-');
		long start = number((dash >= 0) ? part.substring(0, dash) : part, set, text);
		long end = (dash >= 0) ? number(part.substring(dash + 1), set, text) : start;
		if (start < 1 || end < start) {
			throw malformed("MySQL GTID set", set, text);
		}
		return new long[] { start, end };
	}

	private static long[] merge(List<long[]> intervals) {
		intervals.sort((a, b) -> Long.compare(a[0], b[0]));
		long[] merged = new long[intervals.size() * 2];
		int length = 0;
		for (long[] interval : intervals) {
			if (length > 0 && interval[0] <= merged[length - 1] + 1) {
				merged[length - 1] = Math.max(merged[length - 1], interval[1]);
			}
			else {
				merged[length++] = interval[0];
				merged[length++] = interval[1];
			}
		}
		return Arrays.copyOf(merged, length);
	}

	private static long number(String digits, String part, @Nullable String text) {
		if (digits.isEmpty() || !Character.isDigit(digits.charAt(0))) {
			throw malformed("GTID", part, text);
		}
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException ex) {
			throw malformed("GTID", part, text);
		}
	}

	private static IllegalArgumentException malformed(String what, String part, @Nullable String text) {
		// Positions can be long (one entry per server that ever wrote): quote the part, and only the start of the rest.
		String whole = (text == null || text.length() <= 200) ? text : text.substring(0, 200) + "...";
		return new IllegalArgumentException("Not a " + what + ": '" + part + "' in '" + whole + "'");
	}

	private static GtidPosition of(Map<String, long[]> streams, @Nullable String text) {
		return (streams.isEmpty() || text == null) ? EMPTY
				: new GtidPosition(Collections.unmodifiableMap(streams), text.trim());
	}

	private static String[] split(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return new String[0];
		}
		return WHITESPACE.matcher(text).replaceAll("").split(",");
	}

	/**
	 * Whether this position has every transaction of {@code other}: per stream, every interval of {@code other}
	 * lies within one of this position's.
	 * @param other another position
	 * @return {@code true} if nothing of {@code other} is missing here
	 */
	public boolean includes(GtidPosition other) {
		for (Map.Entry<String, long[]> entry : other.streams.entrySet()) {
			long[] mine = this.streams.get(entry.getKey());
			if (!covers((mine != null) ? mine : NONE, entry.getValue())) {
				return false;
			}
		}
		return true;
	}

	private static boolean covers(long[] mine, long[] theirs) {
		int i = 0;
		for (int j = 0; j < theirs.length; j += 2) {
			while (i < mine.length && mine[i + 1] < theirs[j]) {
				i += 2;
			}
			if (i >= mine.length || mine[i] > theirs[j] || mine[i + 1] < theirs[j + 1]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The part of a MySQL position that one server wrote: its UUID's intervals, tagged ones included.
	 * @param uuid the server's {@code @@server_uuid}
	 * @return that part, in MySQL's text format, or {@link #EMPTY} if the server wrote nothing here
	 */
	public GtidPosition restrictTo(String uuid) {
		String own = uuid.trim().toLowerCase(Locale.ROOT);
		Map<String, long[]> streams = new TreeMap<>();
		this.streams.forEach((stream, intervals) -> {
			if (stream.equals(own) || stream.startsWith(own + ":")) {
				streams.put(stream, intervals);
			}
		});
		return streams.isEmpty() ? EMPTY : new GtidPosition(Collections.unmodifiableMap(streams), mySqlText(streams));
	}

	private static String mySqlText(Map<String, long[]> streams) {
		StringBuilder text = new StringBuilder();
		String uuid = null;
		for (Map.Entry<String, long[]> entry : streams.entrySet()) {
			String stream = entry.getKey();
			int colon = stream.indexOf(':');
			String streamUuid = (colon >= 0) ? stream.substring(0, colon) : stream;
			if (!streamUuid.equals(uuid)) {
				text.append((uuid != null) ? "," : "").append(streamUuid);
				uuid = streamUuid;
			}
			if (colon >= 0) {
				text.append(stream, colon, stream.length());
			}
			long[] intervals = entry.getValue();
			for (int i = 0; i < intervals.length; i += 2) {
				text.append(':').append(intervals[i]);
				if (intervals[i + 1] != intervals[i]) {
					text.append('-').append(intervals[i + 1]);
				}
			}
		}
		return text.toString();
	}

	/**
	 * Whether the position holds no transaction at all.
	 * @return {@code true} if empty
	 */
	public boolean isEmpty() {
		return this.streams.isEmpty();
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (!(obj instanceof GtidPosition other) || !this.streams.keySet().equals(other.streams.keySet())) {
			return false;
		}
		for (Map.Entry<String, long[]> entry : this.streams.entrySet()) {
			if (!Arrays.equals(entry.getValue(), other.streams.get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int hashCode() {
		int hash = 0;
		for (Map.Entry<String, long[]> entry : this.streams.entrySet()) {
			hash += entry.getKey().hashCode() ^ Arrays.hashCode(entry.getValue());
		}
		return hash;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
