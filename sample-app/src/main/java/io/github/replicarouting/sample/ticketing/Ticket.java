package io.github.replicarouting.sample.ticketing;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A ticket bought for an {@link Event}.
 *
 * @since 0.1.0
 */
@Entity
@Table(name = "tickets", indexes = @Index(name = "idx_tickets_buyer", columnList = "buyer"))
public class Ticket {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "event_id", nullable = false)
	private @Nullable Event event;

	private String buyer;

	private Instant purchasedAt;

	protected Ticket() {
		// For JPA only; the fields are always set when a loaded entity is handed out.
		this.buyer = "";
		this.purchasedAt = Instant.EPOCH;
	}

	public Ticket(Event event, String buyer, Instant purchasedAt) {
		this.event = event;
		this.buyer = buyer;
		this.purchasedAt = purchasedAt;
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public Event getEvent() {
		if (this.event == null) {
			throw new IllegalStateException("Ticket " + this.id + " has no event");
		}
		return this.event;
	}

	public String getBuyer() {
		return this.buyer;
	}

	public Instant getPurchasedAt() {
		return this.purchasedAt;
	}

	/**
	 * The id of a persisted ticket.
	 * @return the id
	 * @throws IllegalStateException if the ticket has not been saved yet
	 */
	public long requireId() {
		if (this.id == null) {
			throw new IllegalStateException("Ticket of '" + this.buyer + "' has not been saved");
		}
		return this.id;
	}

}
