package io.github.replicarouting.database;

/**
 * A replica attached to a writer, as the writer lists it ({@code SHOW SLAVE HOSTS} on MariaDB, {@code SHOW REPLICAS}
 * on MySQL): the address the replica reports with its {@code report_host} and {@code report_port} options.
 *
 * @param serverId the replica's {@code server_id}
 * @param host the host it reports (empty when it reports none)
 * @param port the port it reports
 * @since 0.1.0
 */
public record AttachedReplica(long serverId, String host, int port) {

	/**
	 * Whether the replica reported an address that can be connected to.
	 * @return {@code true} when a host and a port were reported
	 */
	public boolean hasAddress() {
		return !this.host.isBlank() && this.port > 0;
	}

}
