package io.github.replicarouting.sample;

import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.sample.dashboard.LoadCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data behind the live page and its traffic buttons, over HTTP: browsing shows up as replica reads, buying as
 * primary writes; and the {@code --load} command.
 */
@SampleAppTest
@ExtendWith(OutputCaptureExtension.class)
class LiveRoutingPageTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LoadCommand loadCommand;

	private SampleClient client;

	@BeforeEach
	void client() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void pageIsServedAtTheRoot() {
		ResponseEntity<String> page = this.client.get("/");
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(page.getBody()).contains("Where do the queries go?").contains("routing.js");
	}

	@Test
	void dashboardShowsEveryNode() {
		ResponseEntity<String> dashboard = this.client.get("/dashboard");
		assertThat(dashboard.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<String>read(dashboard.getBody(), "$.writer")).isEqualTo("primary");
		assertThat(JsonPath.<List<String>>read(dashboard.getBody(), "$.nodes[*].name"))
			.containsExactlyInAnyOrder("primary", "replica-1", "replica-2");
		assertThat(JsonPath.<List<String>>read(dashboard.getBody(), "$.nodes[*].state")).containsOnly("UP");
	}

	@Test
	void browsingIsReadOnReplicasAndBuyingWritesOnThePrimary() {
		long replicaReads = replicaReads();
		ResponseEntity<String> browse = this.client.post("/load/browse?count=30", "");
		assertThat(browse.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<Integer>read(browse.getBody(), "$.pageViews")).isEqualTo(30);
		Map<String, Object> perNode = JsonPath.read(browse.getBody(), "$.perNode");
		assertThat(perNode).containsKeys("replica-1", "replica-2");
		assertThat(replicaReads()).isGreaterThanOrEqualTo(replicaReads + 30);

		long primaryWrites = primaryWrites();
		ResponseEntity<String> buy = this.client.post("/load/buy?count=3", "");
		assertThat(buy.getStatusCode()).isEqualTo(HttpStatus.OK);
		int bought = JsonPath.read(buy.getBody(), "$.ticketsBought");
		assertThat(bought).isPositive();
		assertThat(JsonPath.<Integer>read(buy.getBody(), "$.perNode.primary.writes")).isGreaterThanOrEqualTo(bought);
		assertThat(primaryWrites()).isGreaterThanOrEqualTo(primaryWrites + bought);
	}

	@Test
	void mixedLoadSummarisesPerNode() {
		ResponseEntity<String> load = this.client.post("/load?seconds=1&threads=2", "");
		assertThat(load.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<Integer>read(load.getBody(), "$.pageViews")).isPositive();
		assertThat(JsonPath.<Map<String, Object>>read(load.getBody(), "$.perNode")).containsKeys("replica-1",
				"replica-2");
		assertThat(this.client.post("/load?seconds=0", "").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void loadCommandPrintsAPerNodeSummary(CapturedOutput output) {
		this.loadCommand.run(new DefaultApplicationArguments("--load=1", "--threads=2"));
		assertThat(output).containsPattern("mixed load: \\d+ page views, \\d+ tickets bought, \\d+ sold out, in \\d+ ms; "
				+ "per node:.* replica-\\d \\(\\d+ reads, 0 writes\\)");
	}

	private long replicaReads() {
		String body = this.client.get("/dashboard").getBody();
		List<Number> reads = JsonPath.read(body, "$.nodes[?(@.role == 'replica')].reads");
		return reads.stream().mapToLong(Number::longValue).sum();
	}

	private long primaryWrites() {
		String body = this.client.get("/dashboard").getBody();
		List<Number> writes = JsonPath.read(body, "$.nodes[?(@.name == 'primary')].writes");
		return writes.get(0).longValue();
	}

}
