package io.github.replicarouting.sample;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.test.ReplicationCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The panel's endpoints over HTTP on the embedded cluster: what they answer, what they log, and the faults the browser
 * tests leave alone (killing and starting a node). Faults are undone in {@code finally} blocks.
 */
@SampleAppTest
@ExtendWith(OutputCaptureExtension.class)
class FaultPanelEndpointsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ReplicationCluster cluster;

	private SampleClient client;

	@BeforeEach
	void client() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void killedReplicaIsDownUntilStarted(CapturedOutput output) {
		try {
			ResponseEntity<String> killed = this.client.post("/faults/replica-2/kill", "");
			assertThat(killed.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(JsonPath.<String>read(killed.getBody(), "$.result"))
				.isEqualTo("Killed 'replica-2' on the embedded cluster");
			assertThat(output).contains("Killed 'replica-2' on the embedded cluster (requested from the live page)");
			await().atMost(LivePage.PATIENCE).until(() -> "DOWN".equals(state("replica-2")));
			// The cluster refuses to kill what is not running; the page shows its reason, as a conflict.
			ResponseEntity<String> again = this.client.post("/faults/replica-2/kill", "");
			assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
			assertThat(JsonPath.<String>read(again.getBody(), "$.detail")).isNotBlank();

			assertThat(this.client.post("/faults/replica-2/start", "").getStatusCode()).isEqualTo(HttpStatus.OK);
			await().atMost(LivePage.PATIENCE).until(() -> "UP".equals(state("replica-2")));
		}
		finally {
			this.cluster.startNode("replica-2");
		}
	}

	@Test
	void refusedChangeAnswersWithTheLibrarysMessage() {
		ResponseEntity<String> refused = this.client.post("/operations/primary/maintenance", "");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(JsonPath.<String>read(refused.getBody(), "$.detail"))
			.startsWith("Node 'primary' takes the writes and no standby is writable")
			.contains("Nothing was changed");
		assertThat(refused.getBody()).doesNotContain("Exception").doesNotContain("at io.github");
	}

	@Test
	void unknownNodeOrActionChangesNothing() {
		assertThat(this.client.post("/faults/replica-9/freeze", "").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.client.post("/operations/replica-9/drain", "").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		ResponseEntity<String> unknownFault = this.client.post("/faults/replica-1/explode", "");
		assertThat(unknownFault.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(JsonPath.<String>read(unknownFault.getBody(), "$.detail")).contains("freeze, thaw, kill, start");
		assertThat(this.client.post("/operations/replica-1/explode", "").getStatusCode())
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(JsonPath.<List<String>>read(this.client.get("/dashboard").getBody(), "$.nodes[*].administrativeState"))
			.containsOnly("ACTIVE");
	}

	private String state(String node) {
		List<String> states = JsonPath.read(this.client.get("/dashboard").getBody(),
				"$.nodes[?(@.name == '" + node + "')].state");
		return states.get(0);
	}

}
