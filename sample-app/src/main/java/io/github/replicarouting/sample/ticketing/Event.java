package io.github.replicarouting.sample.ticketing;

import java.time.LocalDateTime;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A show tickets are sold for.
 *
 * @since 0.1.0
 */
@Entity
@Table(name = "events")
public class Event {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String name;

	private String venue;

	/** Local time at the venue, as printed on the ticket. */
	private LocalDateTime startsAt;

	private int capacity;

	protected Event() {
		// For JPA only; the fields are always set when a loaded entity is handed out.
		this.name = "";
		this.venue = "";
		this.startsAt = LocalDateTime.MIN;
	}

	public Event(String name, String venue, LocalDateTime startsAt, int capacity) {
		this.name = name;
		this.venue = venue;
		this.startsAt = startsAt;
		this.capacity = capacity;
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getVenue() {
		return this.venue;
	}

	public LocalDateTime getStartsAt() {
		return this.startsAt;
	}

	public int getCapacity() {
		return this.capacity;
	}

	/**
	 * The id of a persisted event.
	 * @return the id
	 * @throws IllegalStateException if the event has not been saved yet
	 */
	public long requireId() {
		if (this.id == null) {
			throw new IllegalStateException("Event '" + this.name + "' has not been saved");
		}
		return this.id;
	}

}
