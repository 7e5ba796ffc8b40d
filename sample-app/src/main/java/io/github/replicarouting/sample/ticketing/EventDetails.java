package io.github.replicarouting.sample.ticketing;

import java.time.LocalDateTime;

/**
 * An event with its sales figures.
 *
 * @param id the event id
 * @param name the show's name
 * @param venue where it takes place
 * @param startsAt local time at the venue
 * @param capacity number of tickets for sale
 * @param ticketsSold tickets bought so far
 * @param ticketsAvailable tickets still for sale
 * @since 0.1.0
 */
public record EventDetails(long id, String name, String venue, LocalDateTime startsAt, int capacity, long ticketsSold,
		long ticketsAvailable) {

	static EventDetails of(Event event, long ticketsSold) {
		return new EventDetails(event.requireId(), event.getName(), event.getVenue(), event.getStartsAt(),
				event.getCapacity(), ticketsSold, Math.max(0, event.getCapacity() - ticketsSold));
	}

}
