package io.github.replicarouting.topology;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in JDBC URLs and in messages that may quote one: the password of {@code user:password@host},
 * Oracle's {@code user/password@host}, and the value of every parameter whose name mentions a password, secret or
 * token ({@code password=}, {@code trustStorePassword=}, MySQL's {@code (password=...)}). Applied to every driver
 * message the router keeps as a node's state reason or logs, and to what the actuator shows.
 *
 * @since 0.1.0
 */
public final class Secrets {

	/** What a masked secret is replaced with. */
	public static final String MASK = "******";

	private static final Pattern USER_INFO = Pattern.compile("(//[^/@?;\\s:]*):[^/@?;\\s]*@");

	private static final Pattern ORACLE_USER = Pattern.compile("(:thin:[^/@\\s]*)/[^@\\s]*@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)((?:^|[?&;(,\\s])[\\w.-]*(?:password|passwd|pwd|secret|token)[\\w.-]*\\s*=)[^&;)\\s,]*");

	private Secrets() {
	}

	/**
	 * Mask the credentials in a URL or message.
	 * @param text the text, possibly {@code null}
	 * @return the text with every secret replaced by {@link #MASK}
	 */
	public static @Nullable String mask(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String masked = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
		masked = ORACLE_USER.matcher(masked).replaceAll("$1/" + MASK + "@");
		return SECRET_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
	}

}
