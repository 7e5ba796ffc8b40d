package io.github.replicarouting.it;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Transactions with an isolation level, each answering which server ran it and at which isolation level.
 */
@Service
class Isolations {

	private final JdbcTemplate jdbc;

	private final ItemRepository items;

	@PersistenceContext
	private EntityManager entityManager;

	Isolations(JdbcTemplate jdbc, ItemRepository items) {
		this.jdbc = jdbc;
		this.items = items;
	}

	@Transactional(isolation = Isolation.SERIALIZABLE)
	ServerAndIsolation readWriteSerializable() {
		return throughJpa();
	}

	@Transactional(readOnly = true, isolation = Isolation.READ_COMMITTED)
	ServerAndIsolation readOnlyReadCommitted() {
		return throughJpa();
	}

	@Transactional(readOnly = true, isolation = Isolation.READ_COMMITTED)
	ServerAndIsolation readOnlyReadCommittedThroughJdbc() {
		return this.jdbc.queryForObject("SELECT @@server_id, @@session.transaction_isolation, @@session.transaction_read_only",
				(result, row) -> new ServerAndIsolation(result.getLong(1), result.getString(2),
						result.getLong(3) == 1));
	}

	@Transactional(isolation = Isolation.READ_COMMITTED)
	ServerAndIsolation saveReadCommitted(String name) {
		this.items.save(new Item(name));
		this.entityManager.flush();
		return throughJpa();
	}

	@Transactional(readOnly = true)
	ServerAndIsolation readOnlyDefault() {
		return throughJpa();
	}

	ServerAndIsolation throughJpa() {
		Object[] row = (Object[]) this.entityManager
			.createNativeQuery("SELECT @@server_id, @@session.transaction_isolation, @@session.transaction_read_only")
			.getSingleResult();
		return new ServerAndIsolation(((Number) row[0]).longValue(), row[1].toString(),
				((Number) row[2]).longValue() == 1);
	}

	record ServerAndIsolation(long serverId, String isolation, boolean sessionReadOnly) {
	}

}
