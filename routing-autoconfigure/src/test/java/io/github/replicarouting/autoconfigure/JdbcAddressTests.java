package io.github.replicarouting.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcAddressTests {

	@Test
	void hostAndPortOfASingleHostUrl() {
		assertThat(JdbcAddress.of("jdbc:mariadb://127.0.0.1:3307/app?sslMode=disable")).isEqualTo("127.0.0.1:3307");
		assertThat(JdbcAddress.of("jdbc:mysql://DB-1.example.com/app")).isEqualTo("db-1.example.com:3306");
		assertThat(JdbcAddress.of("jdbc:mysql://localhost:3310")).isEqualTo("127.0.0.1:3310");
		assertThat(JdbcAddress.of("jdbc:mariadb://[::1]:3307/app")).isEqualTo("[::1]:3307");
	}

	@Test
	void urlsWithoutOneHostHaveNoAddress() {
		assertThat(JdbcAddress.of("jdbc:mysql://a:3306,b:3306/app")).isNull();
		assertThat(JdbcAddress.of("jdbc:mysql://address=(host=a)(port=3306)/app")).isNull();
		assertThat(JdbcAddress.of("jdbc:h2:mem:test")).isNull();
		assertThat(JdbcAddress.of(null)).isNull();
	}

	@Test
	void templateReplacesHostAndPortAndKeepsTheRest() {
		String template = JdbcAddress.template("jdbc:mariadb://10.0.0.1:3306/tickets?sslMode=disable");
		assertThat(template).isEqualTo("jdbc:mariadb://{host}:{port}/tickets?sslMode=disable");
		assertThat(JdbcAddress.fill(template, "10.0.0.7", 3307))
			.isEqualTo("jdbc:mariadb://10.0.0.7:3307/tickets?sslMode=disable");
		assertThat(JdbcAddress.template("jdbc:mysql://db/app")).isEqualTo("jdbc:mysql://{host}:{port}/app");
		assertThat(JdbcAddress.template("jdbc:mysql://a,b/app")).isNull();
	}

}
