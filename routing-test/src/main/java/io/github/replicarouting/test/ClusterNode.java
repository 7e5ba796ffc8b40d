package io.github.replicarouting.test;

/**
 * One server of a {@link ReplicationCluster}: its name, role, server id and loopback port.
 *
 * @param name node name ({@code primary}, {@code replica-1}, ...)
 * @param serverId the server's {@code @@server_id}
 * @param port the loopback TCP port it listens on
 * @param replica whether the node replicates from the primary
 * @param database the application database
 * @since 0.1.0
 */
public record ClusterNode(String name, int serverId, int port, boolean replica, String database) {

	/**
	 * JDBC URL of this node for MariaDB Connector/J ({@code jdbc:mariadb://}).
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl("mariadb");
	}

	/**
	 * JDBC URL of this node for the given driver scheme: {@code mariadb} or {@code mysql}.
	 * @param scheme the JDBC sub-protocol
	 * @return the URL
	 */
	public String jdbcUrl(String scheme) {
		return "jdbc:" + scheme + "://127.0.0.1:" + this.port + "/" + this.database;
	}

}
