package io.github.replicarouting.sample.ticketing;

/**
 * Thrown when an event does not exist (or, for reads, has not reached the replica yet).
 *
 * @since 0.1.0
 */
public class EventNotFoundException extends RuntimeException {

	private final long eventId;

	public EventNotFoundException(long eventId) {
		super("No event with id " + eventId);
		this.eventId = eventId;
	}

	public long getEventId() {
		return this.eventId;
	}

}
