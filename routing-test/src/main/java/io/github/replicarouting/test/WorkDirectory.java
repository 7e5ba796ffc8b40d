package io.github.replicarouting.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary directory of one cluster: every node's data, temporary files, socket and pid file.
 */
final class WorkDirectory {

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private final Path root;

	WorkDirectory() {
		try {
			this.root = Files.createTempDirectory("replica-routing-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a working directory for the embedded cluster", ex);
		}
	}

	File dataDir(String node) {
		return this.root.resolve(node + "-data").toFile();
	}

	String tmpDir(String node) {
		return this.root.resolve(node + "-tmp").toString();
	}

	String socket(String node) {
		return this.root.resolve(node + ".sock").toString();
	}

	Path pidFile(String node) {
		return this.root.resolve(node + ".pid");
	}

	/** SQL every node runs at every start ({@code --init-file}). */
	Path initFile() {
		return this.root.resolve("init.sql");
	}

	void deleteNode(String node) {
		deleteRecursively(dataDir(node).toPath());
		deleteRecursively(this.root.resolve(node + "-tmp"));
	}

	void delete() {
		deleteRecursively(this.root);
	}

	static void deleteRecursively(Path dir) {
		// A second pass catches files that a server was still removing (socket, pid file) during the first.
		for (int attempt = 0; attempt < 2 && Files.exists(dir); attempt++) {
			try (Stream<Path> paths = Files.walk(dir)) {
				paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException | UncheckedIOException ex) {
				logger.debug("Could not delete {}", dir, ex);
			}
		}
	}

}
