package io.github.replicarouting.it;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The classic handler that reads (a read-only repository call) and then writes, in one request.
 */
@RestController
class PurchaseController {

	private final NodeMarkerRepository markers;

	private final ItemRepository items;

	private final Isolations isolations;

	PurchaseController(NodeMarkerRepository markers, ItemRepository items, Isolations isolations) {
		this.markers = markers;
		this.items = items;
		this.isolations = isolations;
	}

	@PostMapping("/items")
	String create(@RequestParam String name) {
		String readFrom = this.markers.findById(1L).orElseThrow().getNode();
		this.items.save(new Item(name));
		return readFrom;
	}

	/**
	 * The same, with the write in a transaction that sets an isolation level.
	 */
	@PostMapping("/items/read-committed")
	String createReadCommitted(@RequestParam String name) {
		String readFrom = this.markers.findById(1L).orElseThrow().getNode();
		this.isolations.saveReadCommitted(name);
		return readFrom;
	}

}
