package io.github.replicarouting.sample.ticketing;

import java.util.List;

import io.github.replicarouting.ReadOnly;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Puts events on sale (on the primary) and serves listings, searches and event pages (from replicas).
 *
 * @since 0.1.0
 */
@Service
public class EventService {

	private final EventRepository events;

	private final TicketRepository tickets;

	public EventService(EventRepository events, TicketRepository tickets) {
		this.events = events;
		this.tickets = tickets;
	}

	/**
	 * Put a new event on sale.
	 * @param event the event
	 * @return the saved event
	 */
	@Transactional
	public EventDetails create(NewEvent event) {
		Event saved = this.events.save(new Event(event.name(), event.venue(), event.startsAt(), event.capacity()));
		return EventDetails.of(saved, 0);
	}

	/**
	 * Save the given events, unless there are events already.
	 * @param initial the events to start with
	 * @return how many events were saved
	 */
	@Transactional
	public int seedIfEmpty(List<NewEvent> initial) {
		// Counted inside the write transaction, on the primary: a lagging replica could report an empty table that
		// the primary has already filled, and the events would be saved twice.
		if (this.events.count() > 0) {
			return 0;
		}
		initial.forEach(this::create);
		return initial.size();
	}

	/**
	 * All events, soonest first.
	 * @return the events
	 */
	@ReadOnly
	@Transactional(readOnly = true)
	public List<EventSummary> list() {
		return this.events.findAllByOrderByStartsAtAscIdAsc().stream().map(EventSummary::of).toList();
	}

	/**
	 * Events whose name or venue contains the query, ignoring case, soonest first.
	 * @param query the text to look for
	 * @return the matching events
	 */
	@ReadOnly
	@Transactional(readOnly = true)
	public List<EventSummary> search(String query) {
		return this.events.findByNameContainingIgnoreCaseOrVenueContainingIgnoreCaseOrderByStartsAtAscIdAsc(query, query)
			.stream()
			.map(EventSummary::of)
			.toList();
	}

	/**
	 * One event with its sales figures, as a replica sees them (they may trail the primary slightly).
	 * @param id the event id
	 * @return the event
	 * @throws EventNotFoundException if the replica does not know the event
	 */
	@ReadOnly
	@Transactional(readOnly = true)
	public EventDetails details(long id) {
		Event event = this.events.findById(id).orElseThrow(() -> new EventNotFoundException(id));
		return EventDetails.of(event, this.tickets.countByEventId(id));
	}

}
