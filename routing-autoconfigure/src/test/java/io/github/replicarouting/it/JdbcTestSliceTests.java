package io.github.replicarouting.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.replicarouting.Routing;
import io.github.replicarouting.routing.RoutingDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @JdbcTest} with {@code replace = NONE} gets the routing {@code DataSource}: reads in a read-only scope go
 * to the replica. The nodes are in-memory H2 databases holding their own name.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@TestPropertySource(properties = { "routing.datasource.primary.url=jdbc:h2:mem:jdbc-slice-primary;DB_CLOSE_DELAY=-1",
		"routing.datasource.primary.username=sa",
		"routing.datasource.replicas.replica-1.url=jdbc:h2:mem:jdbc-slice-replica-1;DB_CLOSE_DELAY=-1" })
class JdbcTestSliceTests {

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeAll
	static void markNodes() throws SQLException {
		for (String node : new String[] { "primary", "replica-1" }) {
			try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:jdbc-slice-" + node + ";DB_CLOSE_DELAY=-1", "sa", "");
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS node_marker (id BIGINT PRIMARY KEY, node VARCHAR(64))");
				statement.execute("MERGE INTO node_marker KEY (id) VALUES (1, '" + node + "')");
			}
		}
	}

	@Test
	void readsInAReadOnlyScopeGoToTheReplica() {
		assertThat(this.dataSource).isInstanceOf(RoutingDataSource.class);
		String sql = "SELECT node FROM node_marker WHERE id = 1";
		assertThat(Routing.onReplica(() -> this.jdbc.queryForObject(sql, String.class))).isEqualTo("replica-1");
		assertThat(this.jdbc.queryForObject(sql, String.class)).isEqualTo("primary");
	}

}
