package io.github.replicarouting.sample.ticketing;

import java.time.Instant;

/**
 * A bought ticket.
 *
 * @param id the ticket id
 * @param eventId the event it admits to
 * @param eventName that event's name
 * @param buyer who bought it
 * @param purchasedAt when
 * @since 0.1.0
 */
public record TicketView(long id, long eventId, String eventName, String buyer, Instant purchasedAt) {

	static TicketView of(Ticket ticket) {
		Event event = ticket.getEvent();
		return new TicketView(ticket.requireId(), event.requireId(), event.getName(), ticket.getBuyer(),
				ticket.getPurchasedAt());
	}

}
