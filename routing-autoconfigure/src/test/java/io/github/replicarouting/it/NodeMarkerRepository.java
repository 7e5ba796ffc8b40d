package io.github.replicarouting.it;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface NodeMarkerRepository extends JpaRepository<NodeMarker, Long> {

	/** A declared query: Spring Data gives it no transaction. */
	@Query("select m from NodeMarker m where m.id = 1")
	NodeMarker findMarker();

}
