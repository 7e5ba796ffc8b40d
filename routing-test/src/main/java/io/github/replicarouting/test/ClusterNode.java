package io.github.replicarouting.test;

/**
 * One server of a {@link ReplicationCluster}: its name, role, server id and loopback port.
 *
 * @param name node name ({@code primary}, {@code standby-1}, {@code replica-1}, ...)
 * @param serverId the server's {@code @@server_id}, which is also its {@code @@gtid_domain_id}
 * @param port the loopback TCP port it listens on
 * @param role what the node is for
 * @param database the application database
 * @since 0.1.0
 */
public record ClusterNode(String name, int serverId, int port, ClusterRole role, String database) {

	/** The embedded server has no TLS; MariaDB Connector/J 4.0 asks for it unless told not to. */
	static final String MARIADB_WITHOUT_TLS = "sslMode=disable";

	/**
	 * Create a node that is either the primary or a replica.
	 * @param name node name
	 * @param serverId the server's {@code @@server_id}
	 * @param port the loopback TCP port it listens on
	 * @param replica whether the node is a read replica ({@link ClusterRole#REPLICA}) rather than the primary
	 * @param database the application database
	 */
	public ClusterNode(String name, int serverId, int port, boolean replica, String database) {
		this(name, serverId, port, replica ? ClusterRole.REPLICA : ClusterRole.PRIMARY, database);
	}

	/**
	 * Whether the node is a read replica; {@code false} for the primary and the standbys.
	 * @return {@code true} if the role is {@link ClusterRole#REPLICA}
	 */
	public boolean replica() {
		return this.role == ClusterRole.REPLICA;
	}

	/**
	 * JDBC URL of this node for MariaDB Connector/J ({@code jdbc:mariadb://}).
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl("mariadb");
	}

	/**
	 * JDBC URL of this node for the given driver scheme: {@code mariadb} or {@code mysql}. The embedded server has no
	 * TLS, and MariaDB Connector/J 4.0 asks for TLS by default, so a {@code mariadb} URL carries
	 * {@code ?sslMode=disable}: append further options with {@code &}.
	 * @param scheme the JDBC sub-protocol
	 * @return the URL
	 */
	public String jdbcUrl(String scheme) {
		String url = "jdbc:" + scheme + "://127.0.0.1:" + this.port + "/" + this.database;
		return "mariadb".equals(scheme) ? url + "?" + MARIADB_WITHOUT_TLS : url;
	}

}
