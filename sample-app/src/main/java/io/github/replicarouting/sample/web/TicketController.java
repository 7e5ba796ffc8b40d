package io.github.replicarouting.sample.web;

import java.util.List;

import io.github.replicarouting.sample.ticketing.EventRepository;
import io.github.replicarouting.sample.ticketing.SoldOutException;
import io.github.replicarouting.sample.ticketing.TicketRepository;
import io.github.replicarouting.sample.ticketing.TicketService;
import io.github.replicarouting.sample.ticketing.TicketView;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ticket purchases (primary) and a buyer's tickets (replicas).
 *
 * @since 0.1.0
 */
@RestController
public class TicketController {

	private final TicketService ticketService;

	private final EventRepository events;

	private final TicketRepository tickets;

	public TicketController(TicketService ticketService, EventRepository events, TicketRepository tickets) {
		this.ticketService = ticketService;
		this.events = events;
		this.tickets = tickets;
	}

	/**
	 * Buy one ticket. Answers 404 for an unknown event and 409 when it is sold out.
	 * @param id the event
	 * @param request who buys
	 * @return the ticket
	 */
	@PostMapping("/events/{id}/tickets")
	@ResponseStatus(HttpStatus.CREATED)
	TicketView purchase(@PathVariable long id, @RequestBody PurchaseRequest request) {
		String buyer = request.requireBuyer();
		// Sold-out shows draw the most purchase attempts, so they are turned away by a replica before the primary is
		// involved. These are Spring Data calls, each in its own read-only transaction, and with open-in-view the
		// event stays in the request's persistence context afterwards: the purchase below must still write on the
		// primary. A lagging replica can only under-count sales, so its "sold out" is final; when it reports seats
		// left, the purchase checks again on the primary under a row lock.
		this.events.findById(id).ifPresent((event) -> {
			if (this.tickets.countByEventId(id) >= event.getCapacity()) {
				throw new SoldOutException(id);
			}
		});
		return this.ticketService.purchase(id, buyer);
	}

	@GetMapping("/tickets")
	List<TicketView> ticketsOf(@RequestParam String buyer) {
		return this.ticketService.ticketsOf(buyer);
	}

}
