package io.github.replicarouting.sample.ticketing;

import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores {@link Ticket tickets}. Read-only at type level for the reason given on {@link EventRepository}.
 *
 * @since 0.1.0
 */
@Transactional(readOnly = true)
public interface TicketRepository extends JpaRepository<Ticket, Long> {

	long countByEventId(long eventId);

	@EntityGraph(attributePaths = "event")
	List<Ticket> findByBuyerOrderByPurchasedAtAscIdAsc(String buyer);

}
