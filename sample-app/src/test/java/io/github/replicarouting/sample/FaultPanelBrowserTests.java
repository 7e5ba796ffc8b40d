package io.github.replicarouting.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.topology.AdministrativeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page's fault and operations panel in headless Chromium, on the embedded cluster: a person clicks a node's
 * button and reads the table, whose counters say where reads went. Every fault is undone in a {@code finally} block,
 * through the cluster and the library directly, so that a failure here leaves the shared cluster as it was. Skipped
 * where Chromium is not installed.
 */
@SampleAppTest
class FaultPanelBrowserTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ReplicationCluster cluster;

	@Autowired
	private DataSource dataSource;

	private LivePage page;

	@BeforeEach
	void openPage(@TempDir Path profile) {
		LivePage.assumeChromiumIsInstalled();
		this.page = LivePage.open(this.port, profile);
		this.page.await(() -> this.page.rows().stream().allMatch((row) -> row.getText().contains("UP")));
	}

	@AfterEach
	void closePage() {
		if (this.page != null) {
			this.page.close();
		}
	}

	@Test
	void drainedReplicaGetsNoReadsUntilActivated() {
		try {
			this.page.click("replica-1", "drain");
			this.page.await(() -> this.page.cell("replica-1", "admin").equals("DRAIN"));
			assertThat(this.page.text("panel-message")).contains("'replica-1' ACTIVE -> DRAIN");

			assertBrowsingReadsOnlyFrom("replica-2", "replica-1");

			this.page.click("replica-1", "activate");
			this.page.await(() -> this.page.cell("replica-1", "admin").equals("ACTIVE"));
			assertBrowsingReadsFrom("replica-1");
		}
		finally {
			activate("replica-1");
		}
	}

	@Test
	void drainingTheOnlyWriterIsRefusedWithTheLibrarysMessage() {
		try {
			this.page.click("primary", "drain");
			this.page.await(() -> this.page.text("panel-message").contains("takes the writes"));
			assertThat(this.page.element("panel-message").getAttribute("class")).isEqualTo("error");
			assertThat(this.page.text("panel-message")).contains("Nothing was changed").doesNotContain("Exception");
			assertThat(this.page.cell("primary", "admin")).isEqualTo("ACTIVE");
		}
		finally {
			activate("primary");
		}
	}

	@Test
	void pausedReplicaFallsBehindWhileWritesRunAndCatchesUpOnResume() throws InterruptedException {
		long eventId = new SampleClient(this.port).createEvent(SampleClient.unique("Lag Watch"), 1_000_000);
		this.cluster.awaitReplication(Duration.ofSeconds(10));
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicLong bought = new AtomicLong();
		Thread writer = new Thread(() -> buyUntilStopped(eventId, writing, bought), "lag-watch-writer");
		writer.start();
		try {
			this.page.click("replica-1", "pause-replication");
			// The sample's account may not read the replication status, so the library measures lag by GTID
			// position: how long ago the primary had what the replica has. It grows while purchases go on.
			this.page.await(() -> this.page.lagMillis("replica-1") >= 1000);
			long behind = this.page.lagMillis("replica-1");
			this.page.await(() -> this.page.lagMillis("replica-1") >= behind + 2000);
			long furthestBehind = this.page.lagMillis("replica-1");
			assertThat(this.page.cell("replica-1", "lag")).endsWith(" ms");

			this.page.click("replica-1", "resume-replication");
			this.page.await(() -> this.page.lagMillis("replica-1") >= 0
					&& this.page.lagMillis("replica-1") < 1000);
			long afterResume = this.page.lagMillis("replica-1");
			assertThat(this.page.cell("replica-1", "state-cell")).isEqualTo("UP");
			assertThat(bought).hasPositiveValue();
			System.out.println("replica-1 paused: " + furthestBehind + " ms behind on the page; resumed: "
					+ afterResume + " ms; " + bought + " purchases meanwhile");
		}
		finally {
			writing.set(false);
			writer.join();
			this.cluster.resumeReplication("replica-1");
		}
	}

	@Test
	void frozenReplicaShowsDownAndItsReadsMoveToTheOther() {
		try {
			long start = System.nanoTime();
			this.page.click("replica-2", "freeze");
			this.page.await(() -> this.page.cell("replica-2", "state-cell").equals("DOWN"));
			System.out.println("replica-2 frozen: DOWN on the page after "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");

			assertBrowsingReadsOnlyFrom("replica-1", "replica-2");

			this.page.click("replica-2", "thaw");
			this.page.await(() -> this.page.cell("replica-2", "state-cell").equals("UP"));
			assertBrowsingReadsFrom("replica-2");
		}
		finally {
			this.cluster.thawNode("replica-2");
		}
	}

	@Test
	void chartShowsSixtySecondsWithTheReadsOfAReplica() {
		browse20Pages();
		this.page.await(() -> this.page.chartReads("replica-1").stream().anyMatch((reads) -> reads > 0));
		assertThat(this.page.chartReads("replica-1")).hasSize(60);
		assertThat(this.page.chartReads("replica-2")).hasSize(60).anyMatch((reads) -> reads > 0);
		assertThat(this.page.chartReads("primary")).hasSize(60);
	}

	@Test
	void addedReplicaIsDiscoveredServesReadsAndLeavesAgain() {
		int replicas = this.cluster.replicas().size();
		try {
			long start = System.nanoTime();
			this.page.click("add-replica");
			assertThat(this.page.text("panel-message")).contains("Starting a replica");
			this.page.await(Duration.ofMinutes(2), () -> this.page.rows().size() == 4);
			String added = this.page.nodeNames().stream().filter((name) -> name.startsWith("discovered-")).findFirst()
				.orElseThrow();
			this.page.await(Duration.ofMinutes(2), () -> this.page.cell(added, "state-cell").equals("UP"));
			System.out.println(added + " on the page, UP, " + Duration.ofNanos(System.nanoTime() - start).toMillis()
					+ " ms after the click");
			assertBrowsingReadsFrom(added);
			assertThat(this.page.chartReads(added)).hasSize(60);

			this.page.click(added, "remove");
			this.page.await(() -> this.page.rows().size() == 3);
			this.page.await(() -> this.page.text("panel-message").contains("discovery removed " + added));
			assertThat(this.cluster.replicas()).hasSize(replicas);
			assertBrowsingReadsFrom("replica-1");
		}
		finally {
			while (this.cluster.replicas().size() > replicas) {
				this.cluster.removeReplica(this.cluster.replicas().get(this.cluster.replicas().size() - 1).name());
			}
		}
	}

	/**
	 * Browse 20 pages and read the counters on the page: every read went to one replica, none to the other.
	 */
	private void assertBrowsingReadsOnlyFrom(String serving, String outOfRotation) {
		long servingReads = this.page.count(serving, "reads");
		long outReads = this.page.count(outOfRotation, "reads");
		browse20Pages();
		this.page.await(() -> this.page.count(serving, "reads") >= servingReads + 20);
		assertThat(this.page.count(outOfRotation, "reads")).isEqualTo(outReads);
	}

	private void assertBrowsingReadsFrom(String node) {
		long reads = this.page.count(node, "reads");
		browse20Pages();
		this.page.await(() -> this.page.count(node, "reads") > reads);
	}

	private void browse20Pages() {
		// The page clears the summary when the button is clicked, so this is the new run's.
		this.page.click("browse");
		this.page.await(() -> this.page.text("summary").startsWith("browse: 20 page views"));
	}

	private void buyUntilStopped(long eventId, AtomicBoolean writing, AtomicLong bought) {
		SampleClient client = new SampleClient(this.port);
		while (writing.get()) {
			if (client.purchase(eventId, "lag-watch").getStatusCode().is2xxSuccessful()) {
				bought.incrementAndGet();
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void activate(String node) {
		RoutingDataSource.required(this.dataSource)
			.getTopology()
			.setAdministrativeState(node, AdministrativeState.ACTIVE, "FaultPanelBrowserTests cleanup");
	}

}
