package io.github.replicarouting.consistency;

import java.sql.Connection;
import java.sql.SQLException;

import io.github.replicarouting.topology.Topology;

/**
 * One read-your-writes mode: what a commit records and where a read that follows it may go. {@link ReadYourWrites}
 * keeps what every mode shares (the scope's token, its maximum age, recording commits); a mode is one implementation
 * plus its {@link ReadYourWritesMode} value, which creates it.
 */
interface ReadYourWritesStrategy {

	/**
	 * Whether commits on the writer are recorded in the scope at all; if not, the writer's connections are handed out
	 * as they are.
	 * @return {@code true} to record commits
	 */
	boolean recordsCommits();

	/**
	 * Whether a recorded commit needs its position (a GTID), which costs a query or session tracking per commit.
	 * @return {@code true} to learn each commit's position
	 */
	boolean needsCommitPosition();

	/**
	 * Where a read of a scope that wrote recently may go.
	 * @param token the scope's last write, no older than {@code token-max-age}
	 * @param ageMillis how long ago it committed
	 * @param topology the nodes and what the monitor knows of them
	 * @return the plan
	 */
	ReadPlan planRead(ConsistencyToken token, long ageMillis, Topology topology);

	/**
	 * Wait on a replica's connection until it has applied what the plan waits for.
	 * @param replica a connection to the replica
	 * @param plan a plan this strategy returned
	 * @return {@code true} if the replica has applied it
	 * @throws SQLException if the wait could not run
	 */
	default boolean awaitApplied(Connection replica, ReadPlan plan) throws SQLException {
		return true;
	}

}
