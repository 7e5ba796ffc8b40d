package io.github.replicarouting.sample.web;

import java.net.URI;
import java.util.List;

import io.github.replicarouting.sample.ticketing.EventDetails;
import io.github.replicarouting.sample.ticketing.EventService;
import io.github.replicarouting.sample.ticketing.EventSummary;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Events: listings, search and event pages (replicas), and putting new events on sale (primary).
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/events")
public class EventController {

	private final EventService eventService;

	public EventController(EventService eventService) {
		this.eventService = eventService;
	}

	@GetMapping
	List<EventSummary> list() {
		return this.eventService.list();
	}

	@GetMapping("/search")
	List<EventSummary> search(@RequestParam("q") String query) {
		if (query.isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Search text 'q' must not be blank");
		}
		return this.eventService.search(query.trim());
	}

	@GetMapping("/{id}")
	EventDetails details(@PathVariable long id) {
		return this.eventService.details(id);
	}

	@PostMapping
	ResponseEntity<EventDetails> create(@RequestBody CreateEventRequest request) {
		EventDetails event = this.eventService.create(request.toNewEvent());
		return ResponseEntity.created(URI.create("/events/" + event.id())).body(event);
	}

}
