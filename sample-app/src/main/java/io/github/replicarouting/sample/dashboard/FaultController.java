package io.github.replicarouting.sample.dashboard;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;
import io.github.replicarouting.test.ClusterNode;
import io.github.replicarouting.test.ReplicationCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The live page's fault buttons: {@code POST /faults/{node}/{fault}} freezes, thaws, kills or starts a node of the
 * embedded cluster, or pauses or resumes its replication, to watch the router react. Demo-only, like
 * {@link LoadController}: it exists with the {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile only,
 * so it can never touch databases of your own.
 *
 * @since 0.1.0
 */
@RestController
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class FaultController {

	private static final Log logger = LogFactory.getLog(FaultController.class);

	private final ReplicationCluster cluster;

	public FaultController(ReplicationCluster cluster) {
		this.cluster = cluster;
	}

	@PostMapping("/faults/{node}/{fault}")
	PanelAnswer cause(@PathVariable String node, @PathVariable String fault) {
		NodeFault nodeFault = NodeFault.named(fault);
		if (nodeFault == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Unknown fault '" + fault + "'; use " + NodeFault.pathNames() + ". Nothing was changed.");
		}
		checkExists(node);
		try {
			String done = nodeFault.applyTo(this.cluster, node) + " on the embedded cluster";
			logger.info(done + " (requested from the live page)");
			return new PanelAnswer(node, fault, done);
		}
		catch (RuntimeException ex) {
			// The cluster's refusal (freezing a node that is not running) or failure (pausing replication on a killed
			// node) says what is wrong: the page shows it, rather than an error page.
			logger.info("Could not " + fault + " '" + node + "': " + ex.getMessage());
			throw new ResponseStatusException(HttpStatus.CONFLICT, ex.getMessage());
		}
	}

	private void checkExists(String node) {
		Set<String> names = new LinkedHashSet<>();
		for (ClusterNode clusterNode : this.cluster.nodes()) {
			names.add(clusterNode.name());
		}
		if (!names.contains(node)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No node named '" + node + "'; the nodes are " + names + ". Nothing was changed.");
		}
	}

}
