package io.github.replicarouting.consistency;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConsistencyTokenCodecTests {

	private static final long NOW = 1_800_000_000_000L;

	private final byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private final ConsistencyTokenCodec codec = new ConsistencyTokenCodec(this.secret, Duration.ofSeconds(60),
			Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

	@Test
	void roundTrip() {
		ConsistencyToken token = new ConsistencyToken(NOW - 1000, "1-1-42", true);
		assertThat(this.codec.decode(this.codec.encode(token))).isEqualTo(token);
		ConsistencyToken mysql = new ConsistencyToken(NOW, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", false);
		assertThat(this.codec.decode(this.codec.encode(mysql))).isEqualTo(mysql);
		ConsistencyToken sticky = new ConsistencyToken(NOW, null, false);
		assertThat(this.codec.decode(this.codec.encode(sticky))).isEqualTo(sticky);
	}

	@Test
	void forgedTokensAreIgnored() {
		String genuine = this.codec.encode(new ConsistencyToken(NOW, "1-1-42", true));
		String payload = genuine.substring(0, genuine.indexOf('.'));
		String signature = genuine.substring(genuine.indexOf('.') + 1);
		String forgedPayload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((NOW + "|m|1-1-999999999").getBytes(StandardCharsets.UTF_8));
		assertThat(this.codec.decode(forgedPayload + "." + signature)).isNull();
		assertThat(this.codec.decode(payload + "." + signature.substring(1))).isNull();
		ConsistencyTokenCodec otherSecret = new ConsistencyTokenCodec(
				"another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
		assertThat(otherSecret.decode(genuine)).isNull();
	}

	@Test
	void expiredAndFutureTokensAreIgnored() {
		assertThat(this.codec.decode(this.codec.encode(new ConsistencyToken(NOW - 61_000, "1-1-1", true)))).isNull();
		assertThat(this.codec.decode(this.codec.encode(new ConsistencyToken(NOW + 60_000, "1-1-1", true)))).isNull();
	}

	@Test
	void malformedValuesAreIgnored() {
		assertThat(this.codec.decode(null)).isNull();
		assertThat(this.codec.decode("")).isNull();
		assertThat(this.codec.decode("not-a-token")).isNull();
		assertThat(this.codec.decode("a.b.c")).isNull();
		assertThat(this.codec.decode("!!!.???")).isNull();
		assertThat(this.codec.decode("x".repeat(10_000) + ".y")).isNull();
	}

	@Test
	void shortSecretsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsistencyTokenCodec(new byte[8], Duration.ofSeconds(1)));
	}

}
