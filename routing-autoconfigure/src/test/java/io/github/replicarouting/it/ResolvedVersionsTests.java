package io.github.replicarouting.it;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import com.zaxxer.hikari.HikariDataSource;
import org.hibernate.Version;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.core.SpringVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the versions the build resolved (Boot line, Framework, Hibernate, HikariCP, both drivers, JDK) and, when CI
 * names the versions it asked for ({@code -Dexpected.spring-boot.version=4.1.2} and so on), fails unless those are
 * the ones on the class path: a profile or property that did not take effect must not pass as a tested line.
 */
class ResolvedVersionsTests {

	@Test
	void classPathHoldsTheVersionsThisBuildAskedFor() throws Exception {
		String boot = SpringBootVersion.getVersion();
		String framework = SpringVersion.getVersion();
		String hibernate = Version.getVersionString();
		String hikari = jarVersion(HikariDataSource.class);
		String mysql = jarVersion(com.mysql.cj.jdbc.Driver.class);
		String mariadb = jarVersion(org.mariadb.jdbc.Driver.class);
		System.out.printf("Resolved versions: Spring Boot %s, Spring Framework %s, Hibernate %s, HikariCP %s, "
				+ "MySQL Connector/J %s, MariaDB Connector/J %s, Java %s%n", boot, framework, hibernate, hikari, mysql,
				mariadb, Runtime.version());
		// Boot's own modules come from one line: a module left on the parent's version would mix two lines.
		assertThat(jarVersion(DataSourceBuilder.class)).as("spring-boot-jdbc").isEqualTo(boot);
		assertExpected("spring-boot", boot);
		assertExpected("spring-framework", framework);
		assertExpected("hibernate", hibernate);
		assertExpected("hikaricp", hikari);
		assertExpected("mysql", mysql);
		assertExpected("mariadb", mariadb);
		assertExpected("java", String.valueOf(Runtime.version().feature()));
	}

	private static void assertExpected(String name, String actual) {
		String expected = System.getProperty("expected." + name + ".version");
		if (expected != null) {
			assertThat(actual).as(name).isEqualTo(expected);
		}
	}

	private static String jarVersion(Class<?> type) throws IOException, URISyntaxException {
		Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		try (JarFile file = new JarFile(jar.toFile())) {
			Attributes manifest = file.getManifest().getMainAttributes();
			String bundleVersion = manifest.getValue("Bundle-Version");
			return (bundleVersion != null) ? bundleVersion : manifest.getValue("Implementation-Version");
		}
	}

}
