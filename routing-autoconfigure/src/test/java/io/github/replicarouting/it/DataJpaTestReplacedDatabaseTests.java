package io.github.replicarouting.it;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @DataJpaTest} with the default {@code @AutoConfigureTestDatabase}: Boot's embedded test database replaces
 * the routing {@code DataSource}, and the slice works on it. The routing nodes point nowhere: nothing may connect to
 * them.
 */
@DataJpaTest
@TestPropertySource(properties = { "routing.datasource.primary.url=jdbc:mariadb://127.0.0.1:1/nowhere",
		"routing.datasource.replicas.replica-1.url=jdbc:mariadb://127.0.0.1:1/nowhere" })
class DataJpaTestReplacedDatabaseTests {

	@Autowired
	DataSource dataSource;

	@Autowired
	ItemRepository items;

	@Test
	void theTestDatabaseReplacesTheRoutingDataSource() {
		assertThat(this.dataSource).isInstanceOf(EmbeddedDatabase.class).isNotInstanceOf(RoutingDataSource.class);
		this.items.save(new Item("replaced"));
		assertThat(this.items.countByName("replaced")).isOne();
	}

}
