package io.github.replicarouting.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The host and port of a single-host JDBC URL ({@code jdbc:<driver>://host[:port][/...][?...]}), as discovery compares
 * them with the addresses replicas report, and the discovery URL template made from one.
 */
final class JdbcAddress {

	static final String HOST = "{host}";

	static final String PORT = "{port}";

	private static final int DEFAULT_PORT = 3306;

	private JdbcAddress() {
	}

	/**
	 * {@code host:port}, lower case, {@code localhost} as {@code 127.0.0.1}, the port 3306 when the URL names none.
	 * @return the address, or {@code null} when the URL is not of that shape (several hosts, no {@code //})
	 */
	static @Nullable String of(@Nullable String url) {
		int[] authority = authority(url);
		if (authority == null) {
			return null;
		}
		String hostAndPort = url.substring(authority[0], authority[1]);
		int colon = hostAndPort.lastIndexOf(':');
		String host = (colon >= 0 && !hostAndPort.endsWith("]")) ? hostAndPort.substring(0, colon) : hostAndPort;
		String port = (colon >= 0 && !hostAndPort.endsWith("]")) ? hostAndPort.substring(colon + 1) : "";
		return normalize(host, port.isEmpty() ? DEFAULT_PORT : parsePort(port));
	}

	static String normalize(String host, int port) {
		String lower = host.trim().toLowerCase(Locale.ROOT);
		return ("localhost".equals(lower) ? "127.0.0.1" : lower) + ":" + port;
	}

	/**
	 * The URL with its host and port replaced by {@value #HOST} and {@value #PORT}.
	 * @return the template, or {@code null} when the URL is not of that shape
	 */
	static @Nullable String template(@Nullable String url) {
		int[] authority = authority(url);
		return (authority != null) ? url.substring(0, authority[0]) + HOST + ":" + PORT + url.substring(authority[1])
				: null;
	}

	static String fill(String template, String host, int port) {
		return template.replace(HOST, host).replace(PORT, Integer.toString(port));
	}

	private static int parsePort(String port) {
		try {
			return Integer.parseInt(port);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** Start and end of the authority, or {@code null} for a URL with none or with several hosts. */
	private static int @Nullable [] authority(@Nullable String url) {
		if (url == null || !url.startsWith("jdbc:")) {
			return null;
		}
		int slashes = url.indexOf("//");
		if (slashes < 0) {
			return null;
		}
		int start = slashes + 2;
		int end = start;
		while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != ';') {
			end++;
		}
		String authority = url.substring(start, end);
		if (authority.isEmpty() || authority.contains(",") || authority.contains("@") || authority.contains("(")) {
			return null;
		}
		return new int[] { start, end };
	}

}
