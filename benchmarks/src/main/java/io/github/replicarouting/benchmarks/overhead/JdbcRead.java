package io.github.replicarouting.benchmarks.overhead;

import java.sql.SQLException;

/**
 * The same read without Spring's transaction machinery: connection, {@link H2Nodes#QUERY}, close, with the route
 * requested the way each alternative expects it.
 */
@FunctionalInterface
public interface JdbcRead {

	/**
	 * Run the read.
	 * @return the node that served it
	 * @throws SQLException on failure
	 */
	String read() throws SQLException;

}
