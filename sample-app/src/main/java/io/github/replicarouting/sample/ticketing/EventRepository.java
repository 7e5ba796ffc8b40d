package io.github.replicarouting.sample.ticketing;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores {@link Event events}.
 *
 * <p>Read-only at type level because Spring Data gives declared query methods no transaction of their own: without it,
 * a query called outside a service transaction would run on the primary. Inside a read-write transaction the methods
 * join it and stay on the primary.
 *
 * @since 0.1.0
 */
@Transactional(readOnly = true)
public interface EventRepository extends JpaRepository<Event, Long> {

	List<Event> findAllByOrderByStartsAtAscIdAsc();

	List<Event> findByNameContainingIgnoreCaseOrVenueContainingIgnoreCaseOrderByStartsAtAscIdAsc(String name,
			String venue);

	/**
	 * Load an event and lock its row until the transaction ends, so that concurrent purchases for the same event
	 * cannot both take its last seat. Must join a read-write transaction, which runs on the primary.
	 * @param id the event id
	 * @return the event, if it exists
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Transactional(propagation = Propagation.MANDATORY)
	Optional<Event> findForUpdateById(long id);

}
