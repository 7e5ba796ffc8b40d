package io.github.replicarouting.consistency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link ConsistencyToken} into a signed string a client can carry (cookie or header) and back. The HMAC-SHA256
 * signature stops a client from forging a position that would make the server wait or skip consistency; tokens older
 * than the maximum age, from the future, malformed or badly signed are ignored.
 *
 * @since 0.1.0
 */
public final class ConsistencyTokenCodec {

	private static final String ALGORITHM = "HmacSHA256";

	private static final int MAX_LENGTH = 4096;

	private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	private final SecretKeySpec key;

	private final Duration maxAge;

	private final Clock clock;

	/**
	 * Create a codec.
	 * @param secret the signing secret, shared by every instance of the application
	 * @param maxAge how long a token stays valid
	 */
	public ConsistencyTokenCodec(byte[] secret, Duration maxAge) {
		this(secret, maxAge, Clock.systemUTC());
	}

	ConsistencyTokenCodec(byte[] secret, Duration maxAge, Clock clock) {
		if (secret.length < 16) {
			throw new IllegalArgumentException("The consistency token secret must have at least 16 bytes");
		}
		this.key = new SecretKeySpec(secret, ALGORITHM);
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * A random secret, for an application that runs as a single instance.
	 * @return 32 random bytes
	 */
	public static byte[] randomSecret() {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		return secret;
	}

	/**
	 * Encode and sign a token.
	 * @param token the token
	 * @return a URL- and cookie-safe string
	 */
	public String encode(ConsistencyToken token) {
		String payload = token.committedAtMillis() + "|" + (token.mariaDb() ? "m" : "y") + "|"
				+ ((token.gtid() != null) ? token.gtid() : "");
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return base64.encodeToString(bytes) + "." + base64.encodeToString(sign(bytes));
	}

	/**
	 * Decode a token, if it is genuine and current.
	 * @param value what the client sent, may be {@code null}
	 * @return the token, or {@code null} if absent, malformed, forged or expired
	 */
	public @Nullable ConsistencyToken decode(@Nullable String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			return null;
		}
		int dot = value.indexOf('.');
		if (dot <= 0 || dot != value.lastIndexOf('.')) {
			return null;
		}
		try {
			Base64.Decoder base64 = Base64.getUrlDecoder();
			byte[] payload = base64.decode(value.substring(0, dot));
			byte[] signature = base64.decode(value.substring(dot + 1));
			if (!MessageDigest.isEqual(sign(payload), signature)) {
				return null;
			}
			String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
			if (parts.length != 3) {
				return null;
			}
			long committedAt = Long.parseLong(parts[0]);
			long now = this.clock.millis();
			if (committedAt > now + CLOCK_SKEW.toMillis() || now - committedAt > this.maxAge.toMillis()) {
				return null;
			}
			return new ConsistencyToken(committedAt, parts[2].isEmpty() ? null : parts[2], "m".equals(parts[1]));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private byte[] sign(byte[] payload) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac.doFinal(payload);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
