package io.github.replicarouting.consistency;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.database.GtidPosition;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeStatus;
import io.github.replicarouting.topology.Secrets;
import io.github.replicarouting.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes for the router: records each write committed on the writer into the current
 * {@link ConsistencyContext} scope, and tells where a later read of that scope may go.
 *
 * <ul>
 * <li>{@link ReadYourWritesMode#STICKY}: to the writer for {@code stickyWindow} after the write.</li>
 * <li>{@link ReadYourWritesMode#CAUSAL}: to a replica the monitor has already seen past the write's GTID (no extra
 * round trip); else to a replica that may catch up in time, after waiting on it for at most {@code causalWaitTimeout};
 * else (replication stopped or too far behind) straight to the writer. Never a stale read.</li>
 * </ul>
 *
 * <p>Longer than the other classes because it holds the JDBC proxies that record commits next to the read planning
 * that uses them; per-mode strategies are the planned split (ARCHITECTURE.md).
 *
 * @since 0.1.0
 */
public final class ReadYourWrites {

	private static final Log logger = LogFactory.getLog(ReadYourWrites.class);

	private final ReadYourWritesMode mode;

	private final Duration stickyWindow;

	private final Duration causalWaitTimeout;

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
		this.stickyWindow = stickyWindow;
		this.causalWaitTimeout = causalWaitTimeout;
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
		if (this.mode == ReadYourWritesMode.NONE) {
			return connection;
		}
		return (Connection) ObservingHandler.proxy(Connection.class, new CommitRecorder(connection, writer));
	}

	/**
	 * Where a read of the current scope may go.
	 * @param topology the nodes and what the monitor knows of them
	 * @return the plan; {@link ReadPlan#ANY_REPLICA} when the scope has no recent write
	 */
	public ReadPlan planRead(Topology topology) {
		if (this.mode == ReadYourWritesMode.NONE) {
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
		if (this.mode == ReadYourWritesMode.STICKY || token.gtid() == null) {
			return (age < this.stickyWindow.toMillis()) ? ReadPlan.WRITER_STICKY : ReadPlan.ANY_REPLICA;
		}
		return planCausalRead(topology, token);
	}

	private ReadPlan planCausalRead(Topology topology, ConsistencyToken token) {
		DatabaseFlavour flavour = token.flavour();
		GtidPosition write;
		try {
			write = flavour.parsePosition(token.gtid());
		}
		catch (IllegalArgumentException ex) {
			// Signed by us, but in a format this version cannot compare (written by another version): never stale.
			return ReadPlan.WRITER_CAUSAL;
		}
		List<DataSourceNode> eligible = topology.eligibleReplicas();
		List<DataSourceNode> applied = new ArrayList<>(eligible.size());
		List<DataSourceNode> hopeful = new ArrayList<>(eligible.size());
		for (DataSourceNode replica : eligible) {
			GtidPosition seen = topology.positionOf(replica);
			if (seen != null && seen.includes(write)) {
				applied.add(replica);
				continue;
			}
			Duration lag = topology.lagOf(replica);
			if (lag == null || lag.compareTo(this.causalWaitTimeout) <= 0) {
				hopeful.add(replica);
			}
		}
		if (!applied.isEmpty()) {
			return new ReadPlan(ReadPlan.Kind.REPLICAS, applied, null, flavour);
		}
		if (hopeful.isEmpty()) {
			// Replication stopped or too far behind: waiting could only time out.
			return ReadPlan.WRITER_CAUSAL;
		}
		return new ReadPlan(ReadPlan.Kind.REPLICAS, hopeful, token.gtid(), flavour);
	}

	/**
	 * Wait on a replica's connection until it has applied the plan's GTID, at most {@code causal-wait-timeout}.
	 * @param replica a connection to the replica
	 * @param plan the plan returned by {@link #planRead}
	 * @return {@code true} if the replica has applied it
	 * @throws SQLException if the wait could not run
	 */
	public boolean awaitApplied(Connection replica, ReadPlan plan) throws SQLException {
		String waitQuery = plan.flavour().waitQuery();
		if (plan.waitFor() == null || waitQuery == null) {
			return true;
		}
		try (PreparedStatement statement = replica.prepareStatement(waitQuery)) {
			statement.setString(1, plan.waitFor());
			statement.setDouble(2, this.causalWaitTimeout.toNanos() / 1e9);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getLong(1) == 0 && !result.wasNull();
			}
		}
	}

	private void recordCommit(Connection target, @Nullable DataSourceNode writer) {
		long now = this.clock.millis();
		if (this.mode == ReadYourWritesMode.STICKY) {
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

	/**
	 * Passes every call to the JDBC object it wraps, answers {@code equals}/{@code hashCode}/{@code unwrap} for the
	 * proxy itself, and lets a subclass look at what each call returned.
	 */
	private abstract static class ObservingHandler implements InvocationHandler {

		private final Object target;

		ObservingHandler(Object target) {
			this.target = target;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "toString":
					return "Write-recording proxy for " + this.target;
				case "unwrap":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
					break;
				default:
					break;
			}
			Object result;
			try {
				result = method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
			return returned(method, result);
		}

		/**
		 * Called after each successful call on the target.
		 * @param method the method called
		 * @param result what it returned
		 * @return what the caller gets
		 * @throws SQLException if recording fails
		 */
		abstract @Nullable Object returned(Method method, @Nullable Object result) throws SQLException;

		static Object proxy(Class<?> type, ObservingHandler handler) {
			return Proxy.newProxyInstance(ReadYourWrites.class.getClassLoader(), new Class<?>[] { type }, handler);
		}

	}

	/**
	 * Records a write in the current scope after each successful commit on the writer's connection.
	 */
	private final class CommitRecorder extends ObservingHandler {

		private final Connection target;

		private final @Nullable DataSourceNode writer;

		CommitRecorder(Connection target, @Nullable DataSourceNode writer) {
			super(target);
			this.target = target;
			this.writer = writer;
		}

		@Override
		@Nullable Object returned(Method method, @Nullable Object result) throws SQLException {
			switch (method.getName()) {
				case "commit":
					recordCommit(this.target, this.writer);
					return result;
				case "createStatement", "prepareStatement", "prepareCall":
					// Without a transaction each statement commits on its own: watch those for writes. Statements of
					// transactions are left alone (their commit is recorded above).
					return this.target.getAutoCommit()
							? proxy(method.getReturnType(), new AutoCommitWriteRecorder(result, this.target, this.writer)) : result;
				default:
					return result;
			}
		}

	}

	/**
	 * Records a write made by a statement that committed on its own (auto-commit), such as
	 * {@code JdbcTemplate.update} outside a transaction.
	 */
	private final class AutoCommitWriteRecorder extends ObservingHandler {

		private final Connection connection;

		private final @Nullable DataSourceNode writer;

		AutoCommitWriteRecorder(Object statement, Connection connection, @Nullable DataSourceNode writer) {
			super(statement);
			this.connection = connection;
			this.writer = writer;
		}

		@Override
		@Nullable Object returned(Method method, @Nullable Object result) throws SQLException {
			if (isWrite(method.getName(), result) && this.connection.getAutoCommit()) {
				recordCommit(this.connection, this.writer);
			}
			return result;
		}

		// execute(...) returns false when the statement produced an update count or nothing: DML, DDL, a call.
		private static boolean isWrite(String method, @Nullable Object result) {
			return switch (method) {
				case "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch" -> true;
				case "execute" -> Boolean.FALSE.equals(result);
				default -> false;
			};
		}

	}

}
