package io.github.replicarouting.it;

import io.github.replicarouting.ReadOnly;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only transactions of one statement each, whose SQL carries a marker so that the server's log tells which
 * connections served them.
 */
@Service
class CountedReads {

	static final String MARKER = "counted-read";

	/** The user's statement, with the marker. */
	static final String SQL = "SELECT '" + MARKER + "' AS marker, @@server_id";

	private final JdbcTemplate jdbc;

	@PersistenceContext
	private EntityManager entityManager;

	CountedReads(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	long readOnlyTransaction() {
		return query();
	}

	@ReadOnly
	@Transactional
	long readOnlyAnnotated() {
		return query();
	}

	@Transactional(readOnly = true)
	long readOnlyTransactionThroughJpa() {
		return jpaQuery();
	}

	private long jpaQuery() {
		Object[] row = (Object[]) this.entityManager.createNativeQuery(SQL).getSingleResult();
		return ((Number) row[1]).longValue();
	}

	@Transactional(readOnly = true, isolation = Isolation.READ_COMMITTED)
	long readOnlyReadCommittedThroughJpa() {
		return jpaQuery();
	}

	private long query() {
		return this.jdbc.queryForObject(SQL, (result, row) -> result.getLong(2));
	}

}
