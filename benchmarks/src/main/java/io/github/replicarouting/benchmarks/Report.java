package io.github.replicarouting.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Collects the Markdown that a run prints, and appends it to {@code results.md} in the results directory as it goes.
 */
public final class Report {

	private final Path directory;

	private final Path file;

	public Report(Path directory) {
		this.directory = directory;
		this.file = directory.resolve("results.md");
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path directory() {
		return this.directory;
	}

	public void section(String title) {
		write("\n### " + title + "\n");
		write("_Load average when this part started: " + loadAverage() + " (2 cores; other processes on the machine "
				+ "show here)._\n\n");
	}

	/**
	 * The 1, 5 and 15 minute load averages, from {@code /proc/loadavg}.
	 * @return the load averages, or "unknown"
	 */
	public static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " / " + fields[1] + " / " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	public void line(String text) {
		write(text + "\n");
	}

	public void table(@Nullable String title, List<String[]> rows) {
		StringBuilder out = new StringBuilder("\n");
		if (title != null) {
			out.append("**").append(title).append("**\n\n");
		}
		for (int i = 0; i < rows.size(); i++) {
			out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
			if (i == 0) {
				out.append("|").append("---|".repeat(rows.get(0).length)).append("\n");
			}
		}
		write(out.toString());
	}

	private synchronized void write(String text) {
		System.out.print(text);
		System.out.flush();
		try {
			Files.writeString(this.file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
