package io.github.replicarouting.sample.dashboard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ClusterRole;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The live page's "add a replica" and "remove": {@code POST /replicas} has the embedded cluster start one more replica
 * (in the background: it replays the primary's binary log first); the library's discovery finds it on the primary and
 * routes to it once it is caught up. {@code POST /replicas/{node}/remove} detaches a replica the page added from the
 * primary (its replication stopped), waits for discovery to take it out of the router, then stops it. Demo-only, with
 * the {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile only.
 *
 * @since 0.1.0
 */
@RestController
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class ReplicaController {

	private static final Log logger = LogFactory.getLog(ReplicaController.class);

	private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(30);

	private final ReplicationCluster cluster;

	private final Topology topology;

	private final int configuredReplicas;

	private final AtomicBoolean adding = new AtomicBoolean();

	public ReplicaController(ReplicationCluster cluster, DataSource dataSource) {
		this.cluster = cluster;
		this.topology = RoutingDataSource.required(dataSource).getTopology();
		this.configuredReplicas = cluster.replicas().size();
	}

	@PostMapping("/replicas")
	@ResponseStatus(HttpStatus.ACCEPTED)
	PanelAnswer add() {
		if (!this.adding.compareAndSet(false, true)) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"A replica is being added already; wait for it to appear in the table.");
		}
		Thread starter = new Thread(() -> {
			try {
				String name = this.cluster.addReplica();
				logger.info("The embedded cluster started " + name + " (requested from the live page); discovery "
						+ "adds it to the router");
			}
			catch (RuntimeException ex) {
				logger.warn("Could not add a replica to the embedded cluster: " + ex.getMessage());
			}
			finally {
				this.adding.set(false);
			}
		}, "sample-add-replica");
		starter.setDaemon(true);
		starter.start();
		return new PanelAnswer("cluster", "add-replica", "Starting a replica on the embedded cluster: discovery adds "
				+ "it once the primary lists it, and it serves reads once caught up");
	}

	@PostMapping("/replicas/{node}/remove")
	PanelAnswer remove(@PathVariable String node) {
		ClusterNode replica = this.cluster.nodes()
			.stream()
			.filter((candidate) -> candidate.name().equals(node))
			.findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No node named '" + node + "'"));
		int index = this.cluster.replicas().indexOf(replica);
		if (replica.role() != ClusterRole.REPLICA || index < this.configuredReplicas) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "Only replicas added from this page can be "
					+ "removed: '" + node + "' is configured in routing.datasource, which keeps it.");
		}
		String routerName = RoutingDashboard.routerNameOf(this.topology, replica);
		// Detached from the primary, it leaves the primary's list; discovery then drains and removes it.
		this.cluster.execute(node, "STOP SLAVE");
		long deadline = System.nanoTime() + LEAVE_TIMEOUT.toNanos();
		while (routerName != null && this.topology.findStatus(routerName) != null && System.nanoTime() < deadline) {
			sleep();
		}
		boolean left = routerName == null || this.topology.findStatus(routerName) == null;
		this.cluster.removeReplica(node);
		logger.info("Removed " + node + " from the embedded cluster (requested from the live page)");
		return new PanelAnswer(node, "remove", left ? "Detached '" + node + "' from the primary: discovery removed "
				+ routerName + " from the router, then the cluster stopped it"
				: "Stopped '" + node + "'; discovery had not removed it within " + LEAVE_TIMEOUT.toSeconds() + " s");
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
