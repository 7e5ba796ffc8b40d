package io.github.replicarouting.sample.dashboard;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;
import io.github.replicarouting.topology.AdministrativeState;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The live page's operator buttons: {@code POST /operations/{node}/{drain|maintenance|activate}} changes a node's
 * administrative state through the library's own {@link Topology#setAdministrativeState}, which checks the change and
 * logs it. A refusal (taking out the only writer) is answered with 409 and the library's message. Demo-only, like
 * {@link LoadController}: it exists with the {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile only;
 * elsewhere {@code POST /actuator/routing/{node}} does the same, behind the actuator's access control.
 *
 * @since 0.1.0
 */
@RestController
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class OperationsController {

	private static final Log logger = LogFactory.getLog(OperationsController.class);

	private static final String REQUESTED_BY = "the sample's live page";

	private final Topology topology;

	public OperationsController(DataSource dataSource) {
		this.topology = RoutingDataSource.required(dataSource).getTopology();
	}

	@PostMapping("/operations/{node}/{operation}")
	PanelAnswer change(@PathVariable String node, @PathVariable String operation) {
		AdministrativeState state = switch (operation) {
			case "drain" -> AdministrativeState.DRAIN;
			case "maintenance" -> AdministrativeState.MAINTENANCE;
			case "activate" -> AdministrativeState.ACTIVE;
			default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown operation '" + operation
					+ "'; use drain, maintenance or activate. Nothing was changed.");
		};
		try {
			// The topology logs the change itself (WARN, with who asked).
			return new PanelAnswer(node, operation, this.topology.setAdministrativeState(node, state, REQUESTED_BY));
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			logger.info("Refused to " + operation + " '" + node + "': " + ex.getMessage());
			throw new ResponseStatusException(HttpStatus.CONFLICT, ex.getMessage());
		}
	}

}
