package io.github.replicarouting.sample.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;
import io.github.replicarouting.sample.ticketing.EventNotFoundException;
import io.github.replicarouting.sample.ticketing.EventService;
import io.github.replicarouting.sample.ticketing.EventSummary;
import io.github.replicarouting.sample.ticketing.SoldOutException;
import io.github.replicarouting.sample.ticketing.TicketService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Traffic to watch routing happen: people browsing (listings, searches, event pages: replicas) and buying tickets (a
 * replica check, then the primary), alone or as a mixed workload on several threads. Demo-only: present with the
 * {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile only, which the sample activates when it starts its own cluster.
 *
 * @since 0.1.0
 */
@Component
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class TrafficGenerator {
	private static final Log logger = LogFactory.getLog(TrafficGenerator.class);

	private static final List<String> SEARCHES = List.of("london", "opera", "hall", "jazz", "a");

	private final EventService events;

	private final TicketService tickets;

	private final RoutingDashboard dashboard;

	public TrafficGenerator(EventService events, TicketService tickets, RoutingDashboard dashboard) {
		this.events = events;
		this.tickets = tickets;
		this.dashboard = dashboard;
	}

	/**
	 * Browse: a listing, a search or an event page, {@code count} times.
	 * @param count how many page views
	 * @return what was done and where it ran
	 */
	public Summary browse(int count) {
		Map<String, long[]> before = this.dashboard.counts();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			browseOnce(i);
		}
		return summary("browse", count, 0, 0, before, start);
	}

	/**
	 * Buy {@code count} tickets, each for a random event.
	 * @param count how many tickets
	 * @return what was done and where it ran
	 */
	public Summary buy(int count) {
		Map<String, long[]> before = this.dashboard.counts();
		long start = System.nanoTime();
		int soldOut = 0;
		for (int i = 0; i < count; i++) {
			soldOut += buyOnce() ? 0 : 1;
		}
		return summary("buy", 0, count - soldOut, soldOut, before, start);
	}

	/**
	 * A mixed workload (nine page views to one purchase) on {@code threads} threads for {@code duration}.
	 * @param duration how long
	 * @param threads how many concurrent visitors
	 * @return what was done and where it ran
	 */
	public Summary mixed(Duration duration, int threads) {
		Map<String, long[]> before = this.dashboard.counts();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		AtomicLong views = new AtomicLong();
		AtomicLong bought = new AtomicLong();
		AtomicLong soldOut = new AtomicLong();
		List<Thread> visitors = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread visitor = new Thread(() -> {
				int i = 0;
				while (System.nanoTime() < end) {
					if (ThreadLocalRandom.current().nextInt(10) == 0) {
						(buyOnce() ? bought : soldOut).incrementAndGet();
					}
					else {
						browseOnce(i++);
						views.incrementAndGet();
					}
				}
			}, "load-" + t);
			visitors.add(visitor);
			visitor.start();
		}
		for (Thread visitor : visitors) {
			try {
				visitor.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		Summary summary = summary("mixed", views.get(), bought.get(), soldOut.get(), before, start);
		logger.info(summary.describe());
		return summary;
	}

	private void browseOnce(int i) {
		switch (i % 3) {
			case 0 -> this.events.list();
			case 1 -> this.events.search(SEARCHES.get(ThreadLocalRandom.current().nextInt(SEARCHES.size())));
			default -> {
				List<EventSummary> all = this.events.list();
				if (!all.isEmpty()) {
					detailsIfReplicated(all.get(ThreadLocalRandom.current().nextInt(all.size())).id());
				}
			}
		}
	}

	private void detailsIfReplicated(long id) {
		try {
			this.events.details(id);
		}
		catch (EventNotFoundException ex) {
			// Not on this replica yet.
		}
	}

	/**
	 * @return whether a ticket was bought (not sold out)
	 */
	private boolean buyOnce() {
		List<EventSummary> all = this.events.list();
		if (all.isEmpty()) {
			return false;
		}
		long eventId = all.get(ThreadLocalRandom.current().nextInt(all.size())).id();
		try {
			this.tickets.purchase(eventId, "visitor-" + ThreadLocalRandom.current().nextInt(1000));
			return true;
		}
		catch (SoldOutException | EventNotFoundException ex) {
			return false;
		}
	}

	private Summary summary(String kind, long views, long bought, long soldOut, Map<String, long[]> before,
			long start) {
		Map<String, long[]> after = this.dashboard.counts();
		Map<String, NodeCount> perNode = new LinkedHashMap<>();
		after.forEach((node, counts) -> {
			long[] earlier = before.getOrDefault(node, new long[2]);
			NodeCount count = new NodeCount(counts[0] - earlier[0], counts[1] - earlier[1]);
			if (count.reads() > 0 || count.writes() > 0) {
				perNode.put(node, count);
			}
		});
		return new Summary(kind, views, bought, soldOut, Duration.ofNanos(System.nanoTime() - start).toMillis(),
				perNode);
	}

	/**
	 * What a run did.
	 *
	 * @param kind browse, buy or mixed
	 * @param pageViews listings, searches and event pages
	 * @param ticketsBought purchases that succeeded
	 * @param soldOut purchases refused because the event was sold out
	 * @param millis how long it took
	 * @param perNode the connections each node served during the run (other traffic included)
	 */
	public record Summary(String kind, long pageViews, long ticketsBought, long soldOut, long millis,
			Map<String, NodeCount> perNode) {

		/**
		 * One line for people.
		 * @return the summary
		 */
		public String describe() {
			StringBuilder text = new StringBuilder(this.kind + " load: " + this.pageViews + " page views, "
					+ this.ticketsBought + " tickets bought, " + this.soldOut + " sold out, in " + this.millis
					+ " ms; per node:");
			this.perNode.forEach((node, count) -> text.append(' ')
				.append(node)
				.append(" (")
				.append(count.reads())
				.append(" reads, ")
				.append(count.writes())
				.append(" writes)"));
			return text.toString();
		}

	}

	/**
	 * Connections a node served for reads and for writes.
	 *
	 * @param reads for reads
	 * @param writes for writes and anything else that did not ask for a replica
	 */
	public record NodeCount(long reads, long writes) {
	}

}
