package io.github.replicarouting.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	@Test
	void masksThePasswordOfUserInfo() {
		assertThat(Secrets.mask("jdbc:mysql://app:s3cret@db-1:3306/app"))
			.isEqualTo("jdbc:mysql://app:******@db-1:3306/app");
	}

	@Test
	void masksPasswordParameters() {
		assertThat(Secrets.mask("jdbc:mariadb://db-1/app?user=app&password=s3cret&useSsl=true"))
			.isEqualTo("jdbc:mariadb://db-1/app?user=app&password=******&useSsl=true");
		assertThat(Secrets.mask("jdbc:mysql://db-1/app?trustCertificateKeyStorePassword=s3cret"))
			.isEqualTo("jdbc:mysql://db-1/app?trustCertificateKeyStorePassword=******");
		assertThat(Secrets.mask("jdbc:sqlserver://db-1;user=app;Password=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db-1;user=app;Password=******;encrypt=true");
	}

	@Test
	void masksMysqlAddressSyntaxAndOracleCredentials() {
		assertThat(Secrets.mask("jdbc:mysql://address=(host=db-1)(user=app)(password=s3cret)/app"))
			.isEqualTo("jdbc:mysql://address=(host=db-1)(user=app)(password=******)/app");
		assertThat(Secrets.mask("jdbc:oracle:thin:app/s3cret@db-1:1521/orcl"))
			.isEqualTo("jdbc:oracle:thin:app/******@db-1:1521/orcl");
	}

	@Test
	void masksUrlsQuotedInMessages() {
		assertThat(Secrets.mask("connection failed: Could not connect to jdbc:mysql://app:s3cret@db-1/app (refused)"))
			.doesNotContain("s3cret")
			.contains("jdbc:mysql://app:******@db-1/app");
	}

	@Test
	void leavesUrlsWithoutCredentialsAlone() {
		String url = "jdbc:mariadb://127.0.0.1:3306/app?useServerPrepStmts=true";
		assertThat(Secrets.mask(url)).isEqualTo(url);
		assertThat(Secrets.mask("behind by 1200 ms (max-replication-lag 500 ms)"))
			.isEqualTo("behind by 1200 ms (max-replication-lag 500 ms)");
	}

}
