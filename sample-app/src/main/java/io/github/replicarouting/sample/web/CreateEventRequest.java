package io.github.replicarouting.sample.web;

import java.time.LocalDateTime;

import io.github.replicarouting.sample.ticketing.NewEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Body of {@code POST /events}.
 *
 * @param name the show's name
 * @param venue where it takes place
 * @param startsAt local time at the venue, e.g. {@code 2030-05-01T20:00:00}
 * @param capacity number of tickets for sale
 * @since 0.1.0
 */
public record CreateEventRequest(@Nullable String name, @Nullable String venue, @Nullable LocalDateTime startsAt,
		@Nullable Integer capacity) {

	NewEvent toNewEvent() {
		if (this.name == null || this.venue == null || this.startsAt == null || this.capacity == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"An event needs name, venue, startsAt and capacity");
		}
		try {
			return new NewEvent(this.name, this.venue, this.startsAt, this.capacity);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage(), ex);
		}
	}

}
