package io.github.replicarouting.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.replicarouting.database.GtidPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor reading MySQL GTID positions (from {@link FakeMySql}: no MySQL server is available here): tagged sets
 * are positions like any other, and a position the monitor cannot read leaves its node reachable, never down.
 */
@ExtendWith(OutputCaptureExtension.class)
class TopologyMonitorGtidTests {

	private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

	private TopologyMonitor monitor;

	@AfterEach
	void close() {
		if (this.monitor != null) {
			this.monitor.close();
		}
	}

	@Test
	void taggedGtidSetsAreReadAsPositions() {
		FakeMySql primaryServer = new FakeMySql(false, UUID + ":1-5:mytag:1-3");
		FakeMySql replicaServer = new FakeMySql(true, UUID + ":1-5:mytag:1-2");
		DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, primaryServer, 1);
		DataSourceNode replica = new DataSourceNode("replica-1", NodeRole.REPLICA, replicaServer, 1);
		Topology topology = new Topology(primary, List.of(), List.of(replica));
		this.monitor = monitor(topology, Map.of(primary, primaryServer, replica, replicaServer), Duration.ofSeconds(10));

		this.monitor.probeAll();

		assertThat(topology.getStatus("primary").state()).isEqualTo(NodeState.UP);
		assertThat(topology.writer()).isSameAs(primary);
		assertThat(topology.getStatus("replica-1").state()).isEqualTo(NodeState.UP);
		assertThat(topology.positionOf(replica)).isEqualTo(GtidPosition.parseMySql(UUID + ":1-5:mytag:1-2"));
		// mytag:3 is missing on the replica: behind, not caught up.
		assertThat(topology.getStatus("replica-1").lag()).isNotNull().isNotEqualTo(Duration.ZERO);

		replicaServer.gtidExecuted(UUID + ":1-5:MYTAG:1-3");
		this.monitor.probeAll();
		assertThat(topology.getStatus("replica-1").lag()).isEqualTo(Duration.ZERO);
	}

	@Test
	void unreadablePositionLeavesTheNodeReachableWithUnknownPositionAndLag(CapturedOutput output) {
		// Not a format this version knows (say, a future server's); the monitor must not take the node for dead.
		String unreadable = UUID + ":1-5:#future:1-3";
		FakeMySql primaryServer = new FakeMySql(false, unreadable);
		FakeMySql replicaServer = new FakeMySql(true, unreadable);
		DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, primaryServer, 1);
		DataSourceNode replica = new DataSourceNode("replica-1", NodeRole.REPLICA, replicaServer, 1);
		Topology topology = new Topology(primary, List.of(), List.of(replica));
		this.monitor = monitor(topology, Map.of(primary, primaryServer, replica, replicaServer), Duration.ofMillis(1));

		for (int round = 0; round < 3; round++) {
			this.monitor.probeAll();
		}

		assertThat(topology.getStatuses()).allSatisfy((status) -> {
			assertThat(status.state()).isEqualTo(NodeState.UP);
			assertThat(status.position()).isNull();
			assertThat(status.lag()).isNull();
		});
		assertThat(topology.writer()).isSameAs(primary);
		assertThat(topology.eligibleReplicas()).containsExactly(replica);
		assertThat(output).doesNotContain("is down");
		assertThat(output).containsOnlyOnce("Cannot read the GTID position of 'primary'")
			.containsOnlyOnce("Cannot read the GTID position of 'replica-1'");
	}

	@Test
	void positionThatBecomesReadableAgainIsUsed() {
		FakeMySql primaryServer = new FakeMySql(false, UUID + ":1-9");
		FakeMySql replicaServer = new FakeMySql(true, "garbage");
		DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, primaryServer, 1);
		DataSourceNode replica = new DataSourceNode("replica-1", NodeRole.REPLICA, replicaServer, 1);
		Topology topology = new Topology(primary, List.of(), List.of(replica));
		this.monitor = monitor(topology, Map.of(primary, primaryServer, replica, replicaServer), Duration.ofSeconds(10));
		this.monitor.probeAll();
		assertThat(topology.getStatus("replica-1").state()).isEqualTo(NodeState.UP);
		assertThat(topology.positionOf(replica)).isNull();

		replicaServer.gtidExecuted(UUID + ":1-9");
		this.monitor.probeAll();

		assertThat(topology.positionOf(replica)).isEqualTo(GtidPosition.parseMySql(UUID + ":1-9"));
		assertThat(topology.getStatus("replica-1").lag()).isEqualTo(Duration.ZERO);
	}

	private static TopologyMonitor monitor(Topology topology, Map<DataSourceNode, DataSource> probes,
			Duration maxLag) {
		return new TopologyMonitor(topology, new LinkedHashMap<>(probes), Duration.ofMillis(200), maxLag,
				Duration.ofSeconds(1));
	}

}
