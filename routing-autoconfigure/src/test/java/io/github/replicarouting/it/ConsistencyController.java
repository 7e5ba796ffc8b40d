package io.github.replicarouting.it;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Write in one request, read it back in the next.
 */
@RestController
class ConsistencyController {

	private final ServerIds serverIds;

	ConsistencyController(ServerIds serverIds) {
		this.serverIds = serverIds;
	}

	@PostMapping("/rw/items")
	Map<String, Object> write(@RequestParam String name) {
		return Map.of("serverId", this.serverIds.insertReturningServerId(name));
	}

	@GetMapping("/rw/items")
	Map<String, Object> read(@RequestParam String name) {
		long[] answer = this.serverIds.serverIdAndCount(name);
		return Map.of("serverId", answer[0], "found", answer[1] > 0);
	}

}
