package io.github.replicarouting.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes for the router: records each write committed on the writer into the current
 * {@link ConsistencyContext} scope, and tells where a later read of that scope may go. What a mode does is its
 * {@code ReadYourWritesStrategy} (created by its {@link ReadYourWritesMode}); this class keeps what every mode shares:
 * the scope's token and its maximum age, and learning a commit's position from the writer's database flavour.
 *
 * @since 0.1.0
 */
public final class ReadYourWrites {

	private static final Log logger = LogFactory.getLog(ReadYourWrites.class);

	private final ReadYourWritesMode mode;

	private final ReadYourWritesStrategy strategy;

	private final Duration tokenMaxAge;

	private final Clock clock;

	/**
	 * Create the policy.
	 * @param mode the mode
	 * @param stickyWindow how long reads stay on the writer after a write (sticky mode)
	 * @param causalWaitTimeout how long a read waits for a replica to apply the write (causal mode)
	 * @param tokenMaxAge how long a write is remembered at all
	 */
	public ReadYourWrites(ReadYourWritesMode mode, Duration stickyWindow, Duration causalWaitTimeout,
			Duration tokenMaxAge) {
		this(mode, stickyWindow, causalWaitTimeout, tokenMaxAge, Clock.systemUTC());
	}

	ReadYourWrites(ReadYourWritesMode mode, Duration stickyWindow, Duration causalWaitTimeout, Duration tokenMaxAge,
			Clock clock) {
		this.mode = mode;
		this.strategy = mode.strategy(stickyWindow, causalWaitTimeout);
		this.tokenMaxAge = tokenMaxAge;
		this.clock = clock;
	}

	/**
	 * The configured mode.
	 * @return the mode
	 */
	public ReadYourWritesMode getMode() {
		return this.mode;
	}

	/**
	 * Wrap a connection just taken from the writer so that its commits are recorded in the current scope.
	 * @param connection the writer's physical connection
	 * @return the connection to hand out
	 */
	public Connection trackCommits(Connection connection) {
		return trackCommits(connection, null);
	}

	/**
	 * Wrap a connection just taken from the writer so that its commits are recorded in the current scope, in the
	 * format of the writer's database flavour.
	 * @param connection the writer's physical connection
	 * @param writer the node it was taken from, if known (else the flavour is read from the connection's driver)
	 * @return the connection to hand out
	 */
	public Connection trackCommits(Connection connection, @Nullable DataSourceNode writer) {
		return this.strategy.recordsCommits() ? CommitRecording.connection(this, connection, writer) : connection;
	}

	/**
	 * Where a read of the current scope may go.
	 * @param topology the nodes and what the monitor knows of them
	 * @return the plan; {@link ReadPlan#ANY_REPLICA} when the scope has no recent write
	 */
	public ReadPlan planRead(Topology topology) {
		if (!this.strategy.recordsCommits()) {
			return ReadPlan.ANY_REPLICA;
		}
		ConsistencyToken token = ConsistencyContext.currentToken();
		if (token == null) {
			return ReadPlan.ANY_REPLICA;
		}
		long age = this.clock.millis() - token.committedAtMillis();
		if (age > this.tokenMaxAge.toMillis()) {
			return ReadPlan.ANY_REPLICA;
		}
		return this.strategy.planRead(token, age, topology);
	}

	/**
	 * Wait on a replica's connection until it has applied the plan's GTID, at most {@code causal-wait-timeout}.
	 * @param replica a connection to the replica
	 * @param plan the plan returned by {@link #planRead}
	 * @return {@code true} if the replica has applied it
	 * @throws SQLException if the wait could not run
	 */
	public boolean awaitApplied(Connection replica, ReadPlan plan) throws SQLException {
		return this.strategy.awaitApplied(replica, plan);
	}

	/**
	 * A commit on the writer's connection {@code target}: remember it in the current scope, with its position when
	 * the mode needs one. The writer's database flavour says how that position is learned.
	 */
	void recordCommit(Connection target, @Nullable DataSourceNode writer) {
		long now = this.clock.millis();
		if (!this.strategy.needsCommitPosition()) {
			ConsistencyContext.record(new ConsistencyToken(now, null, false));
			return;
		}
		try {
			DatabaseFlavour flavour = (writer != null) ? writer.flavourOf(target)
					: DatabaseFlavours.fromMetadata(target);
			String gtid = flavour.positionOfCommit(target);
			ConsistencyContext.record(ConsistencyToken.of(now, (gtid == null || gtid.isBlank()) ? null : gtid, flavour));
		}
		catch (SQLException ex) {
			// Without the GTID the scope still reads from the writer for the sticky window: no stale read.
			logger.debug("Could not read the GTID of a commit; falling back to sticky for this write: "
					+ Secrets.describe(ex));
			ConsistencyContext.record(new ConsistencyToken(now, null, false));
		}
	}

}
