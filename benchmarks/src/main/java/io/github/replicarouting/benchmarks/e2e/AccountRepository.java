package io.github.replicarouting.benchmarks.e2e;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data JPA repository of the end-to-end workload.
 */
public interface AccountRepository extends JpaRepository<Account, Long> {

	/**
	 * Look an account up and ask the server who it is, in one statement.
	 * @param id the account id
	 * @return the account's balance and the serving node's {@code @@server_id}
	 */
	@Query(value = "SELECT a.id AS id, a.balance AS balance, CAST(@@server_id AS SIGNED) AS serverId "
			+ "FROM account a WHERE a.id = :id", nativeQuery = true)
	AccountView findView(@Param("id") long id);

	/**
	 * What a read returns.
	 */
	interface AccountView {

		Long getId();

		Long getBalance();

		Long getServerId();

	}

}
