package io.github.replicarouting.sample.ticketing;

import java.time.LocalDateTime;

/**
 * What is needed to put an event on sale.
 *
 * @param name the show's name
 * @param venue where it takes place
 * @param startsAt local time at the venue
 * @param capacity number of tickets for sale, at least 1
 * @since 0.1.0
 */
public record NewEvent(String name, String venue, LocalDateTime startsAt, int capacity) {

	public NewEvent {
		if (name.isBlank() || venue.isBlank()) {
			throw new IllegalArgumentException("An event needs a name and a venue");
		}
		if (capacity < 1) {
			throw new IllegalArgumentException("An event needs a capacity of at least 1, was " + capacity);
		}
	}

}
