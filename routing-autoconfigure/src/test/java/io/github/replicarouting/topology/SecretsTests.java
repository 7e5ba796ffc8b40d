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

	/** Every character that ends a URL part or a parameter somewhere. */
	private static final String NASTY = "P@ss/w?r;d,x)y";

	@Test
	void passwordsWithSeparatorsInMySqlUserInfo() {
		assertThat(Secrets.mask("jdbc:mysql://app:" + NASTY + "@db-1:3306/app?useSSL=true"))
			.isEqualTo("jdbc:mysql://app:******@db-1:3306/app?useSSL=true");
		assertThat(Secrets.mask("Could not connect to jdbc:mysql://app:" + NASTY + "@db-1/app (refused)"))
			.isEqualTo("Could not connect to jdbc:mysql://app:******@db-1/app (refused)");
		assertThat(Secrets.mask("jdbc:mysql://app:" + NASTY + "@db-1,app:" + NASTY + "@db-2/app"))
			.doesNotContain("ss/w", "P@", "x)y", "r;d");
	}

	@Test
	void passwordsWithSeparatorsInMySqlAddressAndKeyValueSyntax() {
		assertThat(Secrets.mask("jdbc:mysql://address=(host=db-1)(port=3306)(user=app)(password=" + NASTY + ")/app"))
			.isEqualTo("jdbc:mysql://address=(host=db-1)(port=3306)(user=app)(password=******)/app");
		assertThat(Secrets.mask("jdbc:mysql://(host=db-1,port=3306,user=app,password=" + NASTY + ")/app"))
			.isEqualTo("jdbc:mysql://(host=db-1,port=3306,user=app,password=******)/app");
		assertThat(Secrets.mask("jdbc:mysql://(host=db-1,password=" + NASTY + ",user=app)/app"))
			.isEqualTo("jdbc:mysql://(host=db-1,password=******,user=app)/app");
	}

	@Test
	void passwordsWithSeparatorsInMariaDbUrls() {
		assertThat(Secrets.mask("jdbc:mariadb://db-1:3306/app?user=app&password=" + NASTY + "&useSsl=true"))
			.isEqualTo("jdbc:mariadb://db-1:3306/app?user=app&password=******&useSsl=true");
		assertThat(Secrets.mask("jdbc:mariadb://db-1:3306/app?user=app&password=" + NASTY))
			.isEqualTo("jdbc:mariadb://db-1:3306/app?user=app&password=******");
		assertThat(Secrets.mask("jdbc:mariadb://address=(host=db-1)(port=3306)(type=primary)/app?password=" + NASTY
				+ "&user=app")).isEqualTo(
						"jdbc:mariadb://address=(host=db-1)(port=3306)(type=primary)/app?password=******&user=app");
	}

	@Test
	void passwordParametersWithSeparatorsInMessages() {
		assertThat(Secrets.mask("password=" + NASTY)).isEqualTo("password=******");
		assertThat(Secrets.mask("Invalid settings: password=" + NASTY + " rejected"))
			.isEqualTo("Invalid settings: password=******" + " rejected");
		assertThat(Secrets.mask("jdbc:sqlserver://db-1;user=app;password=" + NASTY + ";encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db-1;user=app;password=******;encrypt=true");
		assertThat(Secrets.mask("jdbc:oracle:thin:app/" + NASTY + "@db-1:1521/orcl"))
			.isEqualTo("jdbc:oracle:thin:app/******@db-1:1521/orcl");
	}

	@Test
	void describesAFailureWithItsRootCauseMasked() {
		Exception failure = new IllegalStateException("Failed to obtain JDBC Connection",
				new java.sql.SQLException("Access denied for jdbc:mysql://app:s3cret@db-1/app"));
		assertThat(Secrets.describe(failure))
			.isEqualTo("Failed to obtain JDBC Connection (Access denied for jdbc:mysql://app:******@db-1/app)");
		assertThat(Secrets.describe(new java.sql.SQLException("password=s3cret"))).isEqualTo("password=******");
		assertThat(Secrets.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
	}

	@Test
	void leavesUrlsWithoutCredentialsAlone() {
		String url = "jdbc:mariadb://127.0.0.1:3306/app?useServerPrepStmts=true";
		assertThat(Secrets.mask(url)).isEqualTo(url);
		assertThat(Secrets.mask("behind by 1200 ms (max-replication-lag 500 ms)"))
			.isEqualTo("behind by 1200 ms (max-replication-lag 500 ms)");
	}

}
