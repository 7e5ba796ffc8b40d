package io.github.replicarouting.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live page in a real browser: headless Chromium (Debian packages {@code chromium} and {@code chromium-driver})
 * loads {@code /}, clicks the traffic buttons and sees the counters change. Saves
 * {@code target/live-routing-page.png}. Skipped where Chromium is not installed.
 */
@SampleAppTest
class LivePageBrowserTests {

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

	/** Generous: the page polls once a second and a click runs real queries; this is not a speed claim. */
	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	private WebDriver browser;

	@BeforeEach
	void chromiumIsInstalled() {
		// Per test rather than per class, so that the skip and its reason show in the test report.
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): the browser test is skipped. "
						+ "Install it with: apt-get install -y chromium chromium-driver");
	}

	@BeforeEach
	void openBrowser(@TempDir Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void countersFollowTheTrafficButtons() throws IOException {
		this.browser.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(this.browser, PATIENCE);
		wait.until((browser) -> rows().size() == 3);
		assertThat(this.browser.findElement(By.id("writer")).getText()).isEqualTo("primary");
		assertThat(rows()).extracting((row) -> row.getAttribute("data-node"))
			.containsExactlyInAnyOrder("primary", "replica-1", "replica-2");
		assertThat(rows()).extracting((row) -> row.findElement(By.cssSelector(".state")).getText()).containsOnly("UP");

		long replicaReads = count("replica-1", "reads") + count("replica-2", "reads");
		this.browser.findElement(By.id("browse")).click();
		wait.until((browser) -> summary().startsWith("browse: 20 page views"));
		wait.until((browser) -> count("replica-1", "reads") + count("replica-2", "reads") >= replicaReads + 20);

		long primaryWrites = count("primary", "writes");
		this.browser.findElement(By.id("buy")).click();
		wait.until((browser) -> summary().startsWith("buy:"));
		wait.until((browser) -> count("primary", "writes") > primaryWrites);
		assertThat(summary()).contains("primary:");

		Path screenshot = Path.of("target", "live-routing-page.png");
		Files.createDirectories(screenshot.getParent());
		Path taken = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(taken, screenshot, StandardCopyOption.REPLACE_EXISTING);
		System.out.println("Live page screenshot: " + screenshot.toAbsolutePath());
		assertThat(screenshot).isNotEmptyFile();
	}

	private List<WebElement> rows() {
		return this.browser.findElements(By.cssSelector("#nodes tbody tr"));
	}

	private long count(String node, String column) {
		List<WebElement> cells = this.browser
			.findElements(By.cssSelector("#nodes tr[data-node='" + node + "'] td." + column));
		return cells.isEmpty() ? -1 : Long.parseLong(cells.get(0).getText());
	}

	private String summary() {
		return this.browser.findElement(By.id("summary")).getText();
	}

}
