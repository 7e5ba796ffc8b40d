package io.github.replicarouting.benchmarks.e2e;

import org.springframework.transaction.annotation.Transactional;

/**
 * The workload's two operations: a read-only transaction (a replica when routing) and a read-write one (the primary).
 */
public class AccountService {

	private final AccountRepository accounts;

	public AccountService(AccountRepository accounts) {
		this.accounts = accounts;
	}

	/**
	 * Read one account.
	 * @param id the account id
	 * @return the {@code @@server_id} of the node that served the read
	 */
	@Transactional(readOnly = true)
	public long read(long id) {
		return this.accounts.findView(id).getServerId();
	}

	/**
	 * Change one account's balance (a {@code SELECT} and an {@code UPDATE} in one transaction).
	 * @param id the account id
	 * @param amount what to add
	 */
	@Transactional
	public void deposit(long id, long amount) {
		this.accounts.findById(id).orElseThrow().deposit(amount);
	}

}
