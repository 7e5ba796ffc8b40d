package io.github.replicarouting.topology;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import org.jspecify.annotations.Nullable;

/**
 * One database node the router can send connections to: a name (also its pool name), its role, its pool, its
 * {@link DatabaseFlavour database flavour} and, for replicas, the weight used by weighted load balancing.
 *
 * <p>The flavour is given when the node is built from settings (guessed from the JDBC URL) and confirmed once from
 * the first connection that asks ({@link #flavourOf(Connection)}, or the monitor's first connection): only then is
 * MariaDB behind MySQL Connector/J told from MySQL.
 *
 * <p>Over 250 lines only because of documented accessors and the pools' abort, evict and hold helpers.
 *
 * @since 0.1.0
 */
public final class DataSourceNode {

	private final String name;

	private final NodeRole role;

	private final DataSource dataSource;

	// Volatile: an operator may change it while weighted load balancing reads it on every read.
	private volatile int weight;

	/** The pools' minimum-idle as built, kept while an operator holds the node out of rotation; -1 when not. */
	private int heldMinimumIdle = -1;

	private int heldReadOnlyMinimumIdle = -1;

	private final @Nullable DataSource readOnlyDataSource;

	private final DatabaseFlavour configuredFlavour;

	/** Set once a connection told which database this is. */
	private volatile @Nullable DatabaseFlavour detectedFlavour;

	/**
	 * Create a node.
	 * @param name the node name
	 * @param role what the node is for
	 * @param dataSource its connection pool
	 * @param weight relative share of reads for weighted load balancing, at least 1
	 */
	public DataSourceNode(String name, NodeRole role, DataSource dataSource, int weight) {
		this(name, role, dataSource, null, weight);
	}

	/**
	 * Create a node that takes writes and also has a pool of read-only sessions, used when it serves reads of
	 * read-only scopes (no replica in rotation, read-your-writes): there the server itself refuses writes, which
	 * {@code Connection.setReadOnly(true)} alone does not guarantee (MariaDB Connector/J does not send it to the
	 * server).
	 * @param name the node name
	 * @param role what the node is for
	 * @param dataSource its connection pool
	 * @param readOnlyDataSource a pool of read-only sessions on the same node, or {@code null}
	 * @param weight relative share of reads for weighted load balancing, at least 1
	 */
	public DataSourceNode(String name, NodeRole role, DataSource dataSource, @Nullable DataSource readOnlyDataSource,
			int weight) {
		this(name, role, dataSource, readOnlyDataSource, weight, DatabaseFlavours.GENERIC);
	}

	/**
	 * Create a node whose database flavour its settings tell.
	 * @param name the node name
	 * @param role what the node is for
	 * @param dataSource its connection pool
	 * @param readOnlyDataSource a pool of read-only sessions on the same node, or {@code null}
	 * @param weight relative share of reads for weighted load balancing, at least 1
	 * @param flavour the database flavour its settings point to, until a connection confirms it
	 */
	public DataSourceNode(String name, NodeRole role, DataSource dataSource, @Nullable DataSource readOnlyDataSource,
			int weight, DatabaseFlavour flavour) {
		if (weight < 1) {
			throw new IllegalArgumentException("Weight of node '" + name + "' must be at least 1, was " + weight);
		}
		this.name = name;
		this.role = role;
		this.dataSource = dataSource;
		this.readOnlyDataSource = readOnlyDataSource;
		this.weight = weight;
		this.configuredFlavour = flavour;
	}

	/**
	 * Create a replica node.
	 * @param name the node name
	 * @param dataSource its connection pool
	 * @param weight relative share of reads for weighted load balancing, at least 1
	 */
	public DataSourceNode(String name, DataSource dataSource, int weight) {
		this(name, NodeRole.REPLICA, dataSource, weight);
	}

	/**
	 * The node name, as configured (e.g. {@code primary}, {@code replica-1}).
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * What the node is for.
	 * @return the role
	 */
	public NodeRole getRole() {
		return this.role;
	}

	/**
	 * The node's connection pool.
	 * @return the pool
	 */
	public DataSource getDataSource() {
		return this.dataSource;
	}

	/**
	 * The pool of read-only sessions on this node, used for reads of read-only scopes that a node taking writes
	 * serves.
	 * @return the pool, or {@code null} if the node has none
	 */
	public @Nullable DataSource getReadOnlyDataSource() {
		return this.readOnlyDataSource;
	}

	/**
	 * The node's database flavour: the one a connection confirmed, else the one its settings point to.
	 * @return the flavour
	 */
	public DatabaseFlavour getFlavour() {
		DatabaseFlavour detected = this.detectedFlavour;
		return (detected != null) ? detected : this.configuredFlavour;
	}

	/**
	 * The node's database flavour, confirmed from {@code connection}'s driver if no connection has confirmed it yet.
	 * @param connection a connection to this node
	 * @return the flavour
	 * @throws SQLException if the driver cannot tell
	 */
	public DatabaseFlavour flavourOf(Connection connection) throws SQLException {
		DatabaseFlavour detected = this.detectedFlavour;
		if (detected == null) {
			detected = DatabaseFlavours.fromMetadata(connection);
			this.detectedFlavour = detected;
		}
		return detected;
	}

	/**
	 * Record the flavour the monitor found on its first connection to this node.
	 * @param flavour the flavour
	 */
	void detected(DatabaseFlavour flavour) {
		this.detectedFlavour = flavour;
	}

	/**
	 * Relative share of reads for weighted load balancing.
	 * @return the weight, at least 1
	 */
	public int getWeight() {
		return this.weight;
	}

	/**
	 * Change the weight; {@link Topology#setWeight} validates and logs it.
	 * @param weight the new weight, at least 1
	 */
	void setWeight(int weight) {
		this.weight = weight;
	}

	/**
	 * An operator took the node out of rotation: keep no idle connection (minimum-idle 0 until
	 * {@link #resumePools()}), close the idle ones now and the borrowed ones when they are returned, so that work in
	 * flight finishes (Hikari pools only).
	 */
	synchronized void emptyPools() {
		HikariDataSource pool = hikari(this.dataSource);
		if (pool != null) {
			if (this.heldMinimumIdle < 0) {
				this.heldMinimumIdle = pool.getMinimumIdle();
			}
			pool.getHikariConfigMXBean().setMinimumIdle(0);
		}
		HikariDataSource readOnly = (this.readOnlyDataSource != null) ? hikari(this.readOnlyDataSource) : null;
		if (readOnly != null) {
			if (this.heldReadOnlyMinimumIdle < 0) {
				this.heldReadOnlyMinimumIdle = readOnly.getMinimumIdle();
			}
			readOnly.getHikariConfigMXBean().setMinimumIdle(0);
		}
		evictConnections();
	}

	/**
	 * The node is back in the operator's rotation: its pools keep their configured minimum-idle again.
	 */
	synchronized void resumePools() {
		HikariDataSource pool = hikari(this.dataSource);
		if (pool != null && this.heldMinimumIdle >= 0) {
			pool.getHikariConfigMXBean().setMinimumIdle(this.heldMinimumIdle);
		}
		HikariDataSource readOnly = (this.readOnlyDataSource != null) ? hikari(this.readOnlyDataSource) : null;
		if (readOnly != null && this.heldReadOnlyMinimumIdle >= 0) {
			readOnly.getHikariConfigMXBean().setMinimumIdle(this.heldReadOnlyMinimumIdle);
		}
		this.heldMinimumIdle = -1;
		this.heldReadOnlyMinimumIdle = -1;
	}

	/**
	 * Connections open in this node's main pool, borrowed or idle (0 when the pool does not report it).
	 * @return the number of open connections
	 */
	public int getOpenConnections() {
		HikariPoolMXBean pool = hikariPool();
		return (pool != null) ? pool.getTotalConnections() : 0;
	}

	private static @Nullable HikariDataSource hikari(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class);
			}
		}
		catch (SQLException ex) {
			// Not a Hikari pool after all.
		}
		return null;
	}

	/**
	 * Connections currently borrowed from this node's pool (0 when the pool does not report it).
	 * @return the number of active connections
	 */
	public int getActiveConnections() {
		HikariPoolMXBean pool = hikariPool();
		return (pool != null) ? pool.getActiveConnections() : 0;
	}

	/**
	 * Close the pool's idle connections now and its borrowed ones when they are returned (Hikari pools only).
	 */
	public void evictConnections() {
		for (DataSource pool : new DataSource[] { this.dataSource, this.readOnlyDataSource }) {
			HikariPoolMXBean hikari = (pool != null) ? hikariPool(pool) : null;
			if (hikari != null) {
				hikari.softEvictConnections();
			}
		}
	}

	/**
	 * Abort every physical connection of this node's pools, in use or idle, where the pool opens them through
	 * {@link NodeConnections} (the pools the auto-configuration builds): threads blocked on a node that stopped
	 * answering get an exception at once instead of waiting for it.
	 * @return how many connections are being aborted (without waiting for them)
	 */
	public int abortConnections() {
		int aborted = 0;
		for (DataSource pool : new DataSource[] { this.dataSource, this.readOnlyDataSource }) {
			NodeConnections connections = (pool != null) ? connectionsOf(pool) : null;
			if (connections != null) {
				aborted += connections.abortAll();
			}
		}
		return aborted;
	}

	/**
	 * Connections of this node's pools aborted since startup because the node stopped answering.
	 * @return the total, 0 when the pools do not open connections through {@link NodeConnections}
	 */
	public long getAbortedConnections() {
		long aborted = 0;
		for (DataSource pool : new DataSource[] { this.dataSource, this.readOnlyDataSource }) {
			NodeConnections connections = (pool != null) ? connectionsOf(pool) : null;
			if (connections != null) {
				aborted += connections.abortedCount();
			}
		}
		return aborted;
	}

	private static @Nullable NodeConnections connectionsOf(DataSource pool) {
		try {
			if (pool.isWrapperFor(HikariDataSource.class)
					&& pool.unwrap(HikariDataSource.class).getDataSource() instanceof NodeConnections connections) {
				return connections;
			}
		}
		catch (SQLException ex) {
			// Not a Hikari pool after all.
		}
		return null;
	}

	private @Nullable HikariPoolMXBean hikariPool() {
		return hikariPool(this.dataSource);
	}

	private static @Nullable HikariPoolMXBean hikariPool(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
			}
		}
		catch (SQLException ex) {
			// Not a Hikari pool after all.
		}
		return null;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
