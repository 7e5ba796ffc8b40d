package io.github.replicarouting.sample;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page in a real browser: headless Chromium loads {@code /}, clicks the traffic buttons and sees the counters
 * change. Saves {@code target/live-routing-page.png}. Skipped where Chromium is not installed.
 */
@SampleAppTest
class LivePageBrowserTests {

	@LocalServerPort
	private int port;

	private LivePage page;

	@BeforeEach
	void openPage(@TempDir Path profile) {
		LivePage.assumeChromiumIsInstalled();
		this.page = LivePage.open(this.port, profile);
	}

	@AfterEach
	void closePage() {
		if (this.page != null) {
			this.page.close();
		}
	}

	@Test
	void countersFollowTheTrafficButtons() throws IOException {
		assertThat(this.page.text("writer")).isEqualTo("primary");
		assertThat(this.page.rows()).extracting((row) -> row.getAttribute("data-node"))
			.containsExactlyInAnyOrder("primary", "replica-1", "replica-2");
		assertThat(this.page.rows()).extracting((row) -> row.findElement(By.cssSelector(".state")).getText())
			.containsOnly("UP");

		long replicaReads = this.page.count("replica-1", "reads") + this.page.count("replica-2", "reads");
		this.page.click("browse");
		this.page.await(() -> summary().startsWith("browse: 20 page views"));
		this.page.await(() -> this.page.count("replica-1", "reads")
				+ this.page.count("replica-2", "reads") >= replicaReads + 20);

		long primaryWrites = this.page.count("primary", "writes");
		this.page.click("buy");
		this.page.await(() -> summary().startsWith("buy:"));
		this.page.await(() -> this.page.count("primary", "writes") > primaryWrites);
		assertThat(summary()).contains("primary:");

		Path screenshot = this.page.screenshot("live-routing-page.png");
		System.out.println("Live page screenshot: " + screenshot.toAbsolutePath());
		assertThat(screenshot).isNotEmptyFile();
	}

	private String summary() {
		return this.page.text("summary");
	}

}
