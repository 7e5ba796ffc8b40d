package io.github.replicarouting.sample.ticketing;

/**
 * Thrown when a ticket is requested for an event that has no seats left.
 *
 * @since 0.1.0
 */
public class SoldOutException extends RuntimeException {

	private final long eventId;

	public SoldOutException(long eventId) {
		super("Event " + eventId + " is sold out");
		this.eventId = eventId;
	}

	public long getEventId() {
		return this.eventId;
	}

}
