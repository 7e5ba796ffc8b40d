package io.github.replicarouting.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link ConfigurationMetadataTests} checks on what users get: the metadata inside the packaged jar (run by
 * failsafe in {@code verify}, after {@code package}).
 */
class PackagedConfigurationMetadataIT extends ConfigurationMetadataTests {

	@Override
	Object metadata() {
		Path jar = Path.of(System.getProperty("routing.packaged-jar", "target/routing-autoconfigure.jar"));
		assertThat(jar).as("the jar built by package").exists();
		try (JarFile file = new JarFile(jar.toFile())) {
			ZipEntry entry = file.getEntry("META-INF/spring-configuration-metadata.json");
			assertThat(entry).as("configuration metadata in %s", jar).isNotNull();
			try (InputStream input = file.getInputStream(entry)) {
				return parse(input);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@org.junit.jupiter.api.Test
	void theLicenceIsInTheJar() throws IOException {
		Path jar = Path.of(System.getProperty("routing.packaged-jar", "target/routing-autoconfigure.jar"));
		try (JarFile file = new JarFile(jar.toFile())) {
			ZipEntry licence = file.getEntry("META-INF/LICENSE");
			assertThat(licence).as("META-INF/LICENSE in %s", jar).isNotNull();
			try (InputStream input = file.getInputStream(licence)) {
				assertThat(new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
					.contains("Apache License", "Version 2.0");
			}
		}
	}

}
