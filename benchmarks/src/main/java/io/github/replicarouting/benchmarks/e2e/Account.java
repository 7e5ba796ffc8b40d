package io.github.replicarouting.benchmarks.e2e;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of the end-to-end workload: reads look it up, writes change its balance.
 */
@Entity
@Table(name = "account")
public class Account {

	@Id
	private Long id;

	private String owner;

	private long balance;

	protected Account() {
	}

	public Long getId() {
		return this.id;
	}

	public String getOwner() {
		return this.owner;
	}

	public long getBalance() {
		return this.balance;
	}

	public void deposit(long amount) {
		this.balance += amount;
	}

}
