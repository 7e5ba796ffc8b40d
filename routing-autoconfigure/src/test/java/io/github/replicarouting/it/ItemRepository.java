package io.github.replicarouting.it;

import org.springframework.data.jpa.repository.JpaRepository;

interface ItemRepository extends JpaRepository<Item, Long> {

	long countByName(String name);

}
