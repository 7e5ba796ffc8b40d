package io.github.replicarouting.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Runs a task on several threads until stopped and records every call: when it started and ended, which node served
 * it, or how it failed. Bounded: each thread stops by itself after {@code limit}.
 */
final class LoadRun implements AutoCloseable {

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> threads = new ArrayList<>();

	private final long startNanos = System.nanoTime();

	LoadRun(String name, int threadCount, Duration limit, Task task) {
		long deadline = this.startNanos + limit.toNanos();
		for (int i = 0; i < threadCount; i++) {
			Thread thread = new Thread(() -> {
				while (this.running.get() && System.nanoTime() < deadline) {
					long start = System.nanoTime();
					try {
						String node = task.call();
						this.calls.add(new Call(start, System.nanoTime(), node, null));
					}
					catch (Exception ex) {
						this.calls.add(new Call(start, System.nanoTime(), null, ex));
					}
				}
			}, name + "-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Wait until {@code condition} holds, at most {@code timeout}.
	 * @return the time it took, or {@code null} if it never held
	 */
	static Duration awaitCondition(Duration timeout, java.util.function.BooleanSupplier condition) {
		long start = System.nanoTime();
		while (System.nanoTime() - start < timeout.toNanos()) {
			if (condition.getAsBoolean()) {
				return Duration.ofNanos(System.nanoTime() - start);
			}
			sleep(Duration.ofMillis(20));
		}
		return null;
	}

	List<Call> stop() {
		this.running.set(false);
		for (Thread thread : this.threads) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return new ArrayList<>(this.calls);
	}

	@Override
	public void close() {
		stop();
	}

	static List<Call> select(List<Call> calls, Predicate<Call> filter) {
		return calls.stream().filter(filter).toList();
	}

	static Map<String, Integer> perNode(List<Call> calls) {
		Map<String, Integer> counts = new TreeMap<>();
		for (Call call : calls) {
			counts.merge((call.node() != null) ? call.node() : "failed", 1, Integer::sum);
		}
		return counts;
	}

	static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	@FunctionalInterface
	interface Task {

		/** @return the node that served the call */
		String call() throws Exception;

	}

	record Call(long start, long end, String node, Exception failure) {

		boolean failed() {
			return this.failure != null;
		}

		boolean startedAfter(long nanos) {
			return this.start > nanos;
		}

		boolean startedBefore(long nanos) {
			return this.start <= nanos;
		}

	}

}
