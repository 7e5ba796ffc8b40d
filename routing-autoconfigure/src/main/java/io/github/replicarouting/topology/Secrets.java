package io.github.replicarouting.topology;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in JDBC URLs and in messages that may quote one: the password of {@code user:password@host},
 * Oracle's {@code user/password@host}, and the value of every parameter whose name mentions a password, secret or
 * token ({@code password=}, {@code trustStorePassword=}, MySQL's {@code (password=...)}), also when the password
 * contains URL separators such as {@code @ / ? ; , )}. Applied to every driver message the router keeps as a node's
 * state reason or logs, and to what the actuator shows.
 *
 * @since 0.1.0
 */
public final class Secrets {

	/** What a masked secret is replaced with. */
	public static final String MASK = "******";

	/**
	 * {@code //user:password@}: the password runs to the last {@code @} of the URL, so that one containing
	 * {@code @ / ? ; , )} is masked whole (a URL that has another {@code @} later loses a little more than the
	 * password).
	 */
	private static final Pattern USER_INFO = Pattern.compile("(//[^/@?;\\s:]*):\\S*@");

	private static final Pattern ORACLE_USER = Pattern.compile("(:thin:[^/@\\s]*)/\\S*@");

	private static final String SECRET_KEY = "[\\w.-]*(?:password|passwd|pwd|secret|token)[\\w.-]*\\s*=";

	/**
	 * A secret in a group, MySQL's {@code (password=...)} or {@code (host=...,password=...)}: the value ends at a
	 * {@code )} that closes the group (followed by another group, the path, a separator or the end), or before the
	 * next {@code ,key=}.
	 */
	private static final Pattern GROUPED_SECRET = Pattern
		.compile("(?i)([(,]" + SECRET_KEY + ")\\S*?(?=\\)(?:[(/?&;,)]|\\s|$)|,[\\w.-]+=|\\s|$)");

	/**
	 * A secret parameter, {@code ?password=} / {@code &password=} / {@code ;password=}: the value ends before the
	 * next {@code &key=} or {@code ;key=}, or at white space.
	 */
	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)((?:^|[?&;\\s])" + SECRET_KEY + ")\\S*?(?=[&;][\\w.-]+=|\\s|$)");

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
		// Parameters first: a password parameter containing '@' must not be mistaken for the end of user info.
		String masked = GROUPED_SECRET.matcher(text).replaceAll("$1" + MASK);
		masked = SECRET_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
		masked = USER_INFO.matcher(masked).replaceAll("$1:" + MASK + "@");
		return ORACLE_USER.matcher(masked).replaceAll("$1/" + MASK + "@");
	}

	/**
	 * What went wrong, for a log line: the exception's message and, if different, its root cause's (usually the
	 * driver's), masked. Log this rather than the exception itself, whose stack trace would print the messages as
	 * they are.
	 * @param failure the exception
	 * @return the masked description
	 */
	public static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String root = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		String message = (cause == failure || failure.getMessage() == null || failure.getMessage().equals(root))
				? root : failure.getMessage() + " (" + root + ")";
		return mask(message);
	}

}
