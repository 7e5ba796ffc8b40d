package io.github.replicarouting.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system process of a node's server, found by its pid file, and the signals sent to it.
 */
final class ServerProcess {

	private static final Logger logger = LoggerFactory.getLogger(ReplicationCluster.class);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

	private ServerProcess() {
	}

	static Optional<ProcessHandle> find(Path pidFile) {
		try {
			long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
			// Guard against a reused pid; trust the pid file if the command line cannot be read.
			Optional<ProcessHandle> process = ProcessHandle.of(pid)
				.filter((handle) -> handle.isAlive() && commandLineMentions(handle, pidFile).orElse(true));
			if (process.isPresent()) {
				return process;
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Could not read {}", pidFile, ex);
		}
		// The pid file is written a little after the process starts; the process is a child of this JVM anyway.
		return ProcessHandle.current()
			.descendants()
			.filter((handle) -> handle.isAlive() && commandLineMentions(handle, pidFile).orElse(false))
			.findFirst();
	}

	private static Optional<Boolean> commandLineMentions(ProcessHandle process, Path pidFile) {
		return process.info().commandLine().map((line) -> line.contains("--pid-file=" + pidFile));
	}

	/** SIGKILL, and wait until the process has gone. */
	static void kill(ProcessHandle process, String name) {
		process.destroyForcibly();
		try {
			process.onExit().get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing " + name, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not kill " + name + " (pid " + process.pid() + ")", ex);
		}
	}

	/** {@code kill -STOP} or {@code kill -CONT}: Java cannot send either. */
	static void signal(ProcessHandle process, String signal, String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
				.start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException(
						"Could not send SIG" + signal + " to " + name + " (pid " + process.pid() + "): " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run kill -" + signal + " for " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + name, ex);
		}
	}

}
