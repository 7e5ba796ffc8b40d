package io.github.replicarouting.routing;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import io.github.replicarouting.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The router over real Hikari pools on H2 databases (no server decides these outcomes): what user-supplied listeners
 * and load balancers can and cannot do to it.
 */
class RoutingDataSourceTests {

	private final HikariDataSource primaryPool = pool("primary");

	private final HikariDataSource replicaPool = pool("replica-1");

	private final HikariDataSource otherPool = pool("replica-2");

	private final DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, this.primaryPool, 1);

	private final DataSourceNode replica = new DataSourceNode("replica-1", this.replicaPool, 1);

	private final DataSourceNode other = new DataSourceNode("replica-2", this.otherPool, 1);

	@AfterEach
	void close() {
		this.primaryPool.close();
		this.replicaPool.close();
		this.otherPool.close();
	}

	@Test
	void listenerThatThrowsDoesNotLeakTheConnection() throws Exception {
		RoutingListener failing = (decision) -> {
			throw new IllegalStateException("listener failing on purpose");
		};
		RoutingDataSource router = new RoutingDataSource(new Topology(this.primary, List.of(), List.of(this.replica)),
				true, new RoundRobinLoadBalancer(), List.of(failing));
		for (Route route : Route.values()) {
			try (RoutingContext.Scope scope = RoutingContext.push(route, "test")) {
				try (Connection connection = router.getConnection()) {
					assertThat(connection.isValid(1)).isTrue();
				}
				catch (IllegalStateException ex) {
					// A listener's failure may reach the caller, but the connection must be back in its pool.
				}
			}
		}
		assertThat(this.primaryPool.getHikariPoolMXBean().getActiveConnections()).isZero();
		assertThat(this.replicaPool.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	@Test
	void loadBalancerChoosingANodeOutsideTheCandidatesGetsAClearError() {
		AtomicInteger calls = new AtomicInteger();
		// replica-2 is out of rotation; a balancer that still returns it must be told, not looped on or obeyed.
		ReplicaLoadBalancer outside = (candidates) -> {
			if (calls.incrementAndGet() > 100) {
				throw new AssertionError("asked 100 times: the router loops");
			}
			return this.other;
		};
		Topology topology = new Topology(this.primary, List.of(), List.of(this.replica, this.other));
		topology.markDown(this.other, "test");
		RoutingDataSource router = new RoutingDataSource(topology, true, outside, List.of());
		try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "test")) {
			assertThatIllegalStateException().isThrownBy(router::getConnection)
				.withMessageContaining("replica-2")
				.withMessageContaining("[replica-1]");
		}
		this.otherPool.close();
		try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "test")) {
			assertThatIllegalStateException().isThrownBy(router::getConnection).withMessageContaining("replica-2");
		}
	}

	private static HikariDataSource pool(String name) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName(name);
		pool.setJdbcUrl("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		pool.setMaximumPoolSize(2);
		pool.setMinimumIdle(0);
		return pool;
	}

}
