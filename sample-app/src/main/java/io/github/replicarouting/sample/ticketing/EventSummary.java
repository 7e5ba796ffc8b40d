package io.github.replicarouting.sample.ticketing;

import java.time.LocalDateTime;

/**
 * An event as shown in listings and search results.
 *
 * @param id the event id
 * @param name the show's name
 * @param venue where it takes place
 * @param startsAt local time at the venue
 * @param capacity number of tickets for sale
 * @since 0.1.0
 */
public record EventSummary(long id, String name, String venue, LocalDateTime startsAt, int capacity) {

	static EventSummary of(Event event) {
		return new EventSummary(event.requireId(), event.getName(), event.getVenue(), event.getStartsAt(),
				event.getCapacity());
	}

}
