package io.github.replicarouting.benchmarks.overhead;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bytes the calling thread allocates per read-only transaction, for each alternative, counted by the JVM for that
 * thread only ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}): unlike JMH's GC profiler, which sums every
 * thread of the JVM, nothing that other threads allocate meanwhile (the monitor, the pools' housekeeping, H2) is
 * counted, so the figure does not depend on how busy the machine is. Meant to run with {@code -XX:-DoEscapeAnalysis}
 * (the {@code attribution} part starts it so), where it is exact.
 * <p>
 * Prints one line per alternative: {@code [exact] id bytesPerOp round1 round2 round3}.
 */
public final class ExactAllocation {

	private static final int WARM_UP = 30_000;

	private static final int OPERATIONS = 10_000;

	private ExactAllocation() {
	}

	public static void main(String[] args) throws Exception {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		List<Router> routers = new ArrayList<>();
		for (String arg : args) {
			routers.add(Router.of(arg));
		}
		if (routers.isEmpty()) {
			routers.addAll(List.of(Router.values()));
		}
		for (Router router : routers) {
			try (RouterApplications.Started application = RouterApplications.start(router)) {
				ReadService service = application.service();
				for (int i = 0; i < WARM_UP; i++) {
					service.read();
				}
				double[] rounds = new double[3];
				for (int round = 0; round < rounds.length; round++) {
					long before = threads.getCurrentThreadAllocatedBytes();
					for (int i = 0; i < OPERATIONS; i++) {
						service.read();
					}
					rounds[round] = (double) (threads.getCurrentThreadAllocatedBytes() - before) / OPERATIONS;
				}
				double best = Math.min(rounds[0], Math.min(rounds[1], rounds[2]));
				System.out.println(String.format(Locale.ROOT, "[exact] %s %.1f %.1f %.1f %.1f", router.id(), best,
						rounds[0], rounds[1], rounds[2]));
			}
		}
	}

}
