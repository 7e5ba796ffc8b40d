package io.github.replicarouting.it;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.UsePrimary;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes in the wrong places, and one in the right place.
 */
@Service
class Writes {

	private final JdbcTemplate jdbc;

	private final ItemRepository items;

	Writes(JdbcTemplate jdbc, ItemRepository items) {
		this.jdbc = jdbc;
		this.items = items;
	}

	@ReadOnly
	void insertWithJdbcInReadOnly(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
	}

	@ReadOnly
	void saveWithRepositoryInReadOnly(String name) {
		this.items.save(new Item(name));
	}

	@Transactional(readOnly = true)
	void saveInReadOnlyTransaction(String name) {
		this.items.save(new Item(name));
	}

	@Transactional(readOnly = true)
	void insertWithJdbcInReadOnlyTransaction(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
	}

	@UsePrimary
	@Transactional(readOnly = true)
	void saveInReadOnlyTransactionOnPrimary(String name) {
		this.items.save(new Item(name));
	}

	@UsePrimary
	@Transactional(readOnly = true)
	void insertWithJdbcInReadOnlyTransactionOnPrimary(String name) {
		this.jdbc.update("INSERT INTO item (name) VALUES (?)", name);
	}

	@Transactional
	Item save(String name) {
		return this.items.save(new Item(name));
	}

}
