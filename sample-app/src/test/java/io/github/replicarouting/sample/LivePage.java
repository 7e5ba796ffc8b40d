package io.github.replicarouting.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live page in headless Chromium (Debian packages {@code chromium} and {@code chromium-driver}), read the way a
 * person reads it: rows of the node table, their cells, the panel's message.
 */
final class LivePage implements AutoCloseable {

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

	/** Generous: the page polls once a second and a click runs real queries; this is not a speed claim. */
	static final Duration PATIENCE = Duration.ofSeconds(30);

	private final ChromeDriver browser;

	private final WebDriverWait wait;

	private LivePage(ChromeDriver browser) {
		this.browser = browser;
		this.wait = new WebDriverWait(browser, PATIENCE);
	}

	/**
	 * Skip the calling test, saying why, where Chromium is not installed. Per test rather than per class, so that the
	 * skip and its reason show in the test report.
	 */
	static void assumeChromiumIsInstalled() {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): the browser test is skipped. "
						+ "Install it with: apt-get install -y chromium chromium-driver");
	}

	static LivePage open(int port, Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1600,900", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		LivePage page = new LivePage(new ChromeDriver(service, options));
		page.browser.get("http://localhost:" + port + "/");
		page.await(() -> page.rows().size() == 3);
		return page;
	}

	/**
	 * Wait until the condition holds; the page's own polling makes it true or the wait fails after {@link #PATIENCE}.
	 */
	void await(BooleanSupplier condition) {
		this.wait.ignoring(StaleElementReferenceException.class).until((browser) -> condition.getAsBoolean());
	}

	/**
	 * Wait longer than {@link #PATIENCE} for something slow (a replica the cluster starts).
	 */
	void await(Duration timeout, BooleanSupplier condition) {
		new WebDriverWait(this.browser, timeout).ignoring(StaleElementReferenceException.class)
			.until((browser) -> condition.getAsBoolean());
	}

	/**
	 * The nodes the table shows, in its order.
	 */
	List<String> nodeNames() {
		return rows().stream().map((row) -> row.getAttribute("data-node")).toList();
	}

	List<WebElement> rows() {
		return this.browser.findElements(By.cssSelector("#nodes tbody tr"));
	}

	String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	void click(String id) {
		this.browser.findElement(By.id(id)).click();
	}

	/**
	 * Click a button of a node's row.
	 * @param node the node name
	 * @param action the button's action, e.g. {@code drain} or {@code pause-replication}
	 */
	void click(String node, String action) {
		this.browser.findElement(By.cssSelector(row(node) + " button[data-action='" + action + "']")).click();
	}

	String cell(String node, String column) {
		return this.browser.findElement(By.cssSelector(row(node) + " td." + column)).getText();
	}

	/**
	 * A number of a node's row.
	 * @param node the node name
	 * @param column {@code reads} or {@code writes}
	 * @return the number, or {@code -1} if the row is not there
	 */
	long count(String node, String column) {
		List<WebElement> cells = this.browser.findElements(By.cssSelector(row(node) + " td." + column));
		return cells.isEmpty() ? -1 : Long.parseLong(cells.get(0).getText());
	}

	/**
	 * A replica's lag, as the page shows it.
	 * @param node the node name
	 * @return milliseconds, or {@code -1} if the page shows no figure (not measured, or replication stopped)
	 */
	long lagMillis(String node) {
		String millis = this.browser.findElement(By.cssSelector(row(node) + " td.lag")).getAttribute("data-lag-millis");
		return (millis == null || millis.isEmpty()) ? -1 : Long.parseLong(millis);
	}

	/**
	 * A node's chart, read in one go: the page redraws it every second, so its elements do not outlive a poll.
	 * @param node the node name
	 * @return the reads of each bucket, oldest first
	 */
	List<Long> chartReads(String node) {
		List<?> reads = (List<?>) this.browser.executeScript("return Array.from(document.querySelectorAll("
				+ "arguments[0]), (bucket) => Number(bucket.dataset.reads));", row(node) + " svg.chart g.bucket");
		return reads.stream().map((value) -> ((Number) value).longValue()).toList();
	}

	WebElement element(String id) {
		return this.browser.findElement(By.id(id));
	}

	Path screenshot(String name) throws IOException {
		Path screenshot = Path.of("target", name);
		Files.createDirectories(screenshot.getParent());
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
				StandardCopyOption.REPLACE_EXISTING);
		return screenshot;
	}

	private static String row(String node) {
		return "#nodes tr[data-node='" + node + "']";
	}

	@Override
	public void close() {
		this.browser.quit();
	}

}
