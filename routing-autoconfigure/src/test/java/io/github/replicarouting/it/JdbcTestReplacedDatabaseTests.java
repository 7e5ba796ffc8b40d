package io.github.replicarouting.it;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @JdbcTest} with the default {@code @AutoConfigureTestDatabase}: Boot's embedded test database replaces the
 * routing {@code DataSource}. The routing nodes point nowhere: nothing may connect to them.
 */
@JdbcTest
@TestPropertySource(properties = { "routing.datasource.primary.url=jdbc:mariadb://127.0.0.1:1/nowhere",
		"routing.datasource.replicas.replica-1.url=jdbc:mariadb://127.0.0.1:1/nowhere" })
class JdbcTestReplacedDatabaseTests {

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theTestDatabaseReplacesTheRoutingDataSource() {
		assertThat(this.dataSource).isInstanceOf(EmbeddedDatabase.class).isNotInstanceOf(RoutingDataSource.class);
		assertThat(this.jdbc.queryForObject("SELECT 1", Integer.class)).isOne();
	}

}
