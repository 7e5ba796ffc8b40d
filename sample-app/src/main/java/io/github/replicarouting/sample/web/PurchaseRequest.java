package io.github.replicarouting.sample.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ResponseStatusException;

/**
 * Body of {@code POST /events/{id}/tickets}.
 *
 * @param buyer who buys the ticket
 * @since 0.1.0
 */
public record PurchaseRequest(@Nullable String buyer) {

	String requireBuyer() {
		if (!StringUtils.hasText(this.buyer)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A purchase needs a buyer");
		}
		return this.buyer.trim();
	}

}
