package io.github.replicarouting.sample.ticketing;

import java.time.Clock;
import java.util.List;

import io.github.replicarouting.ReadOnly;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sells tickets (on the primary) and lists a buyer's tickets (from replicas).
 *
 * @since 0.1.0
 */
@Service
public class TicketService {

	private final EventRepository events;

	private final TicketRepository tickets;

	private final Clock clock;

	public TicketService(EventRepository events, TicketRepository tickets) {
		this.events = events;
		this.tickets = tickets;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Sell one ticket for an event, if a seat is left.
	 * @param eventId the event
	 * @param buyer who buys it
	 * @return the ticket
	 * @throws EventNotFoundException if there is no such event
	 * @throws SoldOutException if every seat is taken
	 */
	@Transactional
	public TicketView purchase(long eventId, String buyer) {
		// The row lock serializes purchases of the same event, so the count below stays true until we commit.
		Event event = this.events.findForUpdateById(eventId).orElseThrow(() -> new EventNotFoundException(eventId));
		if (this.tickets.countByEventId(eventId) >= event.getCapacity()) {
			throw new SoldOutException(eventId);
		}
		Ticket ticket = this.tickets.save(new Ticket(event, buyer, this.clock.instant()));
		return TicketView.of(ticket);
	}

	/**
	 * The tickets a buyer has bought, oldest first, as a replica sees them.
	 * @param buyer the buyer
	 * @return the tickets
	 */
	@ReadOnly
	@Transactional(readOnly = true)
	public List<TicketView> ticketsOf(String buyer) {
		return this.tickets.findByBuyerOrderByPurchasedAtAscIdAsc(buyer).stream().map(TicketView::of).toList();
	}

}
