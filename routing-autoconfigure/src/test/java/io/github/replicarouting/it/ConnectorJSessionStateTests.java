package io.github.replicarouting.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.NativeServerSessionStateController.NativeServerSessionStateChanges;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit's position read from the session state MySQL Connector/J kept of the commit's reply, on real Connector/J
 * connections to the embedded MariaDB primary. MySQL's own GTIDs ({@code session_track_gtids=OWN_GTID}) cannot be
 * sent by MariaDB: that reply's session-state block is built here as the protocol defines it and parsed by
 * Connector/J itself.
 */
@WithReplicationCluster
class ConnectorJSessionStateTests {

	private static final String OWN_GTID = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";

	static final ReplicationCluster cluster = TestCluster.get();

	@Test
	void mariaDbCommitsGtidComesWithTheCommitsReply() throws SQLException {
		try (Connection connection = writer(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			write(statement);
			connection.commit();
			String tracked = DatabaseFlavours.MARIADB.positionOfCommit(connection);
			assertThat(tracked).isNotBlank().isEqualTo(lastGtid(statement));
		}
	}

	@Test
	void mySqlCommitsOwnGtidIsReadWithoutAQuery() throws SQLException {
		try (Connection connection = writer()) {
			reply(connection, gtids(OWN_GTID));
			// Asking would fail here: MariaDB has no @@global.gtid_executed.
			assertThat(DatabaseFlavours.MYSQL.positionOfCommit(connection)).isEqualTo(OWN_GTID);
		}
	}

	@Test
	void aTrackedValueThatIsNoPositionIsAskedAbout() throws SQLException {
		try (Connection connection = writer(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			write(statement);
			connection.commit();
			reply(connection, systemVariable("last_gtid", "not-a-gtid"));
			assertThat(DatabaseFlavours.MARIADB.positionOfCommit(connection)).isEqualTo(lastGtid(statement));
		}
	}

	@Test
	void anotherVariablesChangeIsNotTheCommitsPosition() throws SQLException {
		try (Connection connection = writer(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			write(statement);
			connection.commit();
			reply(connection, systemVariable("time_zone", "0-1-999"));
			assertThat(DatabaseFlavours.MARIADB.positionOfCommit(connection)).isEqualTo(lastGtid(statement));
		}
	}

	private static void write(Statement statement) throws SQLException {
		statement.executeUpdate("CREATE TABLE IF NOT EXISTS " + cluster.database()
				+ ".session_state_write (id BIGINT AUTO_INCREMENT PRIMARY KEY)");
		statement.executeUpdate("INSERT INTO " + cluster.database() + ".session_state_write VALUES ()");
	}

	private static Connection writer() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", cluster.username());
		properties.setProperty("password", cluster.password());
		properties.putAll(DatabaseFlavours.MARIADB.commitTrackingProperties(true));
		return DriverManager.getConnection(cluster.primary().jdbcUrl("mysql"), properties);
	}

	private static String lastGtid(Statement statement) throws SQLException {
		try (ResultSet result = statement.executeQuery("SELECT @@last_gtid")) {
			result.next();
			return result.getString(1);
		}
	}

	/** As Connector/J stores an OK packet's session state. */
	private static void reply(Connection connection, byte[] sessionState) throws SQLException {
		NativeServerSessionStateChanges changes = new NativeServerSessionStateChanges()
			.init(new NativePacketPayload(lengthEncoded(sessionState)), "UTF-8");
		connection.unwrap(JdbcConnection.class).getServerSessionStateController().setSessionStateChanges(changes);
	}

	/** {@code SESSION_TRACK_GTIDS}: the encoding specification (0), then the GTID set. */
	private static byte[] gtids(String set) {
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.write(0);
		data.writeBytes(lengthEncoded(set.getBytes(StandardCharsets.UTF_8)));
		return entry(3, data.toByteArray());
	}

	/** {@code SESSION_TRACK_SYSTEM_VARIABLES}: the name, then the value. */
	private static byte[] systemVariable(String name, String value) {
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes(lengthEncoded(name.getBytes(StandardCharsets.UTF_8)));
		data.writeBytes(lengthEncoded(value.getBytes(StandardCharsets.UTF_8)));
		return entry(0, data.toByteArray());
	}

	private static byte[] entry(int type, byte[] data) {
		ByteArrayOutputStream entry = new ByteArrayOutputStream();
		entry.write(type);
		entry.writeBytes(lengthEncoded(data));
		return entry.toByteArray();
	}

	/** Short strings only: one length byte below 251. */
	private static byte[] lengthEncoded(byte[] bytes) {
		assertThat(bytes.length).isLessThan(251);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(bytes.length);
		out.writeBytes(bytes);
		return out.toByteArray();
	}

}
