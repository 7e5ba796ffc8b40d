package io.github.replicarouting.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.AdministrativeState;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.ReplicaDefinition;
import io.github.replicarouting.topology.RoutingReplicas;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/routing}: the nodes behind the router (role, state, lag, GTID position, weight, pool, connections
 * handed out by reason), the node taking writes, and the routing settings; passwords in JDBC URLs and messages are
 * masked. {@code /actuator/routing/{node}} describes one node.
 *
 * <p>{@code POST /actuator/routing/{node}} with {@code {"state": "drain"}} ({@code drain}, {@code maintenance},
 * {@code active}) and/or {@code {"weight": 3}} changes a node of this instance. Write operations are refused unless
 * opened with {@code management.endpoint.routing.access=unrestricted}; each change is logged once at WARN with the
 * principal who asked. Bad input is answered with 400 (404 for an unknown node) and changes nothing.
 *
 * <p>{@code POST /actuator/routing/{node}} with a {@code url} (and optionally {@code username}, {@code password},
 * {@code weight} and {@code hikari}, as {@code "maximum-pool-size=4,connection-timeout=1000"}) adds a replica of that name ({@link RoutingReplicas#add}); {@code DELETE
 * /actuator/routing/{node}} removes one ({@link RoutingReplicas#remove}). Same access rule, same answers.
 *
 * <p>Over 250 lines because it is one endpoint: its read and write operations, their answers and the documented
 * records that are its JSON shape.
 *
 * @since 0.1.0
 */
@Endpoint(id = "routing", defaultAccess = Access.READ_ONLY)
public class RoutingEndpoint {

	private final RoutingDataSource dataSource;

	private final RoutingDecisionCounter decisions;

	private final Map<String, Object> settings;

	private final @Nullable RoutingReplicas replicas;

	/**
	 * Create an endpoint.
	 * @param dataSource the routing data source
	 * @param decisions the connections handed out so far
	 * @param settings the routing settings to show (load balancing, read-your-writes...), by name
	 */
	public RoutingEndpoint(RoutingDataSource dataSource, RoutingDecisionCounter decisions, Map<String, Object> settings) {
		this(dataSource, decisions, settings, null);
	}

	/**
	 * Create an endpoint that can also add and remove replicas.
	 * @param dataSource the routing data source
	 * @param decisions the connections handed out so far
	 * @param settings the routing settings to show (load balancing, read-your-writes...), by name
	 * @param replicas adds and removes replicas, or {@code null} if they cannot be
	 */
	public RoutingEndpoint(RoutingDataSource dataSource, RoutingDecisionCounter decisions, Map<String, Object> settings,
			@Nullable RoutingReplicas replicas) {
		this.dataSource = dataSource;
		this.decisions = decisions;
		this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
		this.replicas = replicas;
	}

	/**
	 * Describe the router.
	 * @return the topology, settings and counters
	 */
	@ReadOperation
	public RoutingDescriptor routing() {
		Topology topology = this.dataSource.getTopology();
		DataSourceNode writer = topology.writer();
		List<NodeDescriptor> nodes = new ArrayList<>();
		for (NodeStatus status : topology.getStatuses()) {
			nodes.add(describe(topology, status));
		}
		return new RoutingDescriptor((writer != null) ? writer.getName() : null, this.settings, nodes);
	}

	/**
	 * Describe one node.
	 * @param name the node name
	 * @return the node, or {@code null} (404) if there is no such node
	 */
	@ReadOperation
	public @Nullable NodeDescriptor node(@Selector String name) {
		Topology topology = this.dataSource.getTopology();
		for (NodeStatus status : topology.getStatuses()) {
			if (status.name().equals(name)) {
				return describe(topology, status);
			}
		}
		return null;
	}

	/**
	 * Change one node of this instance: its administrative state, its weight, or both (the state first; a refused
	 * state changes nothing, the weight included).
	 * @param name the node name
	 * @param state {@code drain}, {@code maintenance} or {@code active}, or {@code null} to keep it
	 * @param weight its new weight under weighted load balancing, or {@code null} to keep it
	 * @param security who asks
	 * @return the node as it is now, or a 400/404 answer saying what was wrong
	 */
	@WriteOperation
	public WebEndpointResponse<Object> change(@Selector String name, @Nullable String state, @Nullable Integer weight,
			@Nullable String url, @Nullable String username, @Nullable String password,
			@Nullable String hikari, SecurityContext security) {
		Topology topology = this.dataSource.getTopology();
		if (url != null) {
			Map<String, String> settings = hikariSettings(hikari);
			if (settings == null) {
				return refused(WebEndpointResponse.STATUS_BAD_REQUEST, "\"hikari\" must read like "
						+ "\"maximum-pool-size=4,connection-timeout=1000\", was \"" + hikari
						+ "\". Nothing was changed.");
			}
			return add(new ReplicaDefinition(name, url, username, password, null, settings,
					(weight != null) ? weight : 1), security);
		}
		if (node(name) == null) {
			return refused(WebEndpointResponse.STATUS_NOT_FOUND,
					"No node named '" + name + "'; the nodes are " + names(topology) + ". Nothing was changed.");
		}
		if (state == null && weight == null) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Give a \"state\" (drain, maintenance, active) or a \"weight\" (1 or more). Nothing was changed.");
		}
		AdministrativeState newState = null;
		if (state != null) {
			newState = parse(state);
			if (newState == null) {
				return refused(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown state '" + state
						+ "'; use drain, maintenance or active. Nothing was changed.");
			}
		}
		if (weight != null && weight < 1) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, "Weight " + weight + " for node '" + name
					+ "' is below 1; give 1 or more, or drain the node to send it no reads. Nothing was changed.");
		}
		String requestedBy = requestedBy(security);
		try {
			if (newState != null) {
				topology.setAdministrativeState(name, newState, requestedBy);
			}
			if (weight != null) {
				topology.setWeight(name, weight, requestedBy);
			}
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		return new WebEndpointResponse<>(node(name));
	}

	/**
	 * Hikari settings as {@code key=value} pairs separated by commas (an endpoint's body carries strings only).
	 * @return the settings, or {@code null} when they do not read that way
	 */
	static @Nullable Map<String, String> hikariSettings(@Nullable String hikari) {
		Map<String, String> settings = new LinkedHashMap<>();
		if (hikari == null || hikari.isBlank()) {
			return settings;
		}
		for (String pair : hikari.split(",")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				return null;
			}
			settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
		}
		return settings;
	}

	/**
	 * Add a replica ({@code POST} with a {@code url}): 201 with the new node, joining until caught up.
	 */
	private WebEndpointResponse<Object> add(ReplicaDefinition replica, SecurityContext security) {
		RoutingReplicas replicas = this.replicas;
		if (replicas == null) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Replicas cannot be added here: no RoutingReplicas bean. Nothing was changed.");
		}
		try {
			replicas.add(replica, requestedBy(security));
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		NodeDescriptor added = node(replica.name());
		return new WebEndpointResponse<>((added != null) ? added : new Refusal("added, then removed meanwhile"), 201);
	}

	/**
	 * Remove a replica of this instance ({@code DELETE /actuator/routing/{node}}): out of rotation at once; its pool
	 * closes once the reads in flight on it have finished.
	 * @param name the replica's name
	 * @param security who asks
	 * @return what changed, or a 400/404 answer saying what was wrong
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> remove(@Selector String name, SecurityContext security) {
		RoutingReplicas replicas = this.replicas;
		if (node(name) == null) {
			return refused(WebEndpointResponse.STATUS_NOT_FOUND, "No node named '" + name + "'; the nodes are "
					+ names(this.dataSource.getTopology()) + ". Nothing was changed.");
		}
		if (replicas == null) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Replicas cannot be removed here: no RoutingReplicas bean. Nothing was changed.");
		}
		try {
			return new WebEndpointResponse<>(new Change(replicas.remove(name, requestedBy(security))));
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
	}

	private static @Nullable AdministrativeState parse(String state) {
		for (AdministrativeState candidate : AdministrativeState.values()) {
			if (candidate.name().equalsIgnoreCase(state.trim())) {
				return candidate;
			}
		}
		return null;
	}

	private static String requestedBy(SecurityContext security) {
		Principal principal = security.getPrincipal();
		return (principal != null) ? "'" + principal.getName() + "' through /actuator/routing"
				: "an unauthenticated caller through /actuator/routing";
	}

	private static List<String> names(Topology topology) {
		List<String> names = new ArrayList<>();
		for (DataSourceNode node : topology.getNodes()) {
			names.add(node.getName());
		}
		return names;
	}

	private static WebEndpointResponse<Object> refused(int status, @Nullable String message) {
		return new WebEndpointResponse<>(new Refusal(String.valueOf(message)), status);
	}

	private NodeDescriptor describe(Topology topology, NodeStatus status) {
		DataSourceNode node = find(topology, status.name());
		boolean inRotation = (status.role() == NodeRole.REPLICA) ? status.inService() : status.writer();
		Duration lag = Names.currentLag(status);
		Long lagMillis = (lag != null && !NodeStatus.STOPPED.equals(lag)) ? lag.toMillis() : null;
		HikariDataSource pool = HikariPools.of(node.getDataSource());
		Map<String, Long> byReason = this.decisions.countsOf(status.name());
		long total = byReason.values().stream().mapToLong(Long::longValue).sum();
		return new NodeDescriptor(status.name(), Names.of(status.role()), status.state().name(),
				status.administrativeState().name(), inRotation,
				String.valueOf(Secrets.mask(status.reason())), status.writable(), status.writer(), node.getWeight(),
				Names.lag(lag), lagMillis, status.position(), status.since().toString(),
				(pool != null) ? Secrets.mask(pool.getJdbcUrl()) : null, describe(pool),
				(node.getReadOnlyDataSource() != null) ? describe(HikariPools.of(node.getReadOnlyDataSource())) : null,
				new ConnectionsDescriptor(total, byReason, node.getAbortedConnections()));
	}

	private static DataSourceNode find(Topology topology, String name) {
		for (DataSourceNode node : topology.getNodes()) {
			if (node.getName().equals(name)) {
				return node;
			}
		}
		throw new IllegalStateException("No node named '" + name + "'");
	}

	private static @Nullable PoolDescriptor describe(@Nullable HikariDataSource pool) {
		if (pool == null) {
			return null;
		}
		HikariPoolMXBean bean = pool.getHikariPoolMXBean();
		if (bean == null) {
			// Not started yet: the pool starts with its first connection.
			return new PoolDescriptor(pool.getPoolName(), 0, 0, 0, 0, pool.getMaximumPoolSize());
		}
		return new PoolDescriptor(pool.getPoolName(), bean.getActiveConnections(), bean.getIdleConnections(),
				bean.getTotalConnections(), bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
	}

	/**
	 * The router: which node takes writes, the settings, every node.
	 *
	 * @param writer the node that takes writes, or {@code null} while none does
	 * @param settings the routing settings
	 * @param nodes primary, standbys, then replicas
	 */
	public record RoutingDescriptor(@Nullable String writer, Map<String, Object> settings,
			List<NodeDescriptor> nodes) implements OperationResponseBody {
	}

	/**
	 * One node.
	 *
	 * @param name the node name, also its pool name
	 * @param role {@code primary}, {@code standby} or {@code replica}
	 * @param state {@code UP}, {@code DOWN} or {@code LAGGING}, as the monitor found it
	 * @param administrativeState {@code ACTIVE}, {@code DRAIN} or {@code MAINTENANCE}, as an operator set it
	 * @param inRotation whether it is given work now: a replica serving reads, or the node taking writes
	 * @param reason why it is in that state
	 * @param writable for the primary and standbys, whether it accepts writes ({@code read_only=0})
	 * @param writer whether writes go to it
	 * @param weight its share of reads under weighted load balancing
	 * @param lag how far a replica is behind the writer, for people; {@code null} when not measured or it is down
	 * @param lagMillis the lag in milliseconds; {@code null} when not measured or replication is stopped
	 * @param gtidPosition its last seen GTID position, if known
	 * @param since when it entered its state
	 * @param url its JDBC URL, credentials masked
	 * @param pool its connection pool, if a Hikari pool
	 * @param readOnlyPool for the primary and standbys, the pool of read-only sessions serving read-only scopes
	 * @param connections the connections it has handed out since startup
	 */
	public record NodeDescriptor(String name, String role, String state, String administrativeState, boolean inRotation, String reason,
			boolean writable, boolean writer, int weight, @Nullable String lag, @Nullable Long lagMillis,
			@Nullable String gtidPosition, String since, @Nullable String url, @Nullable PoolDescriptor pool,
			@Nullable PoolDescriptor readOnlyPool, ConnectionsDescriptor connections) implements OperationResponseBody {
	}

	/**
	 * What a write operation changed.
	 *
	 * @param change what changed, for people
	 */
	public record Change(String change) implements OperationResponseBody {
	}

	/**
	 * A write operation that was refused, and why.
	 *
	 * @param error what was wrong and what to do; nothing was changed
	 */
	public record Refusal(String error) implements OperationResponseBody {
	}

	/**
	 * A node's Hikari pool.
	 *
	 * @param name the pool name
	 * @param active connections borrowed now
	 * @param idle connections idle in the pool
	 * @param total connections open
	 * @param waiting threads waiting for a connection
	 * @param max the maximum pool size
	 */
	public record PoolDescriptor(String name, int active, int idle, int total, int waiting, int max) {
	}

	/**
	 * Connections a node has handed out since startup.
	 *
	 * @param total all of them
	 * @param byReason by routing reason ({@code default}, {@code annotation}, {@code readonly-tx}, {@code fallback},
	 * {@code no-replica}, {@code sticky}, {@code causal})
	 * @param aborted connections to it the monitor aborted because it stopped answering
	 */
	public record ConnectionsDescriptor(long total, Map<String, Long> byReason, long aborted) {
	}

}
