package io.github.replicarouting.consistency;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

import io.github.replicarouting.topology.DataSourceNode;
import org.jspecify.annotations.Nullable;

/**
 * JDBC proxies over a writer's connection that tell {@link ReadYourWrites} about each commit: a transaction's
 * {@code commit()}, or a write that committed on its own (auto-commit).
 */
final class CommitRecording {

	private CommitRecording() {
	}

	/**
	 * Wrap a writer's connection.
	 * @param readYourWrites told about each commit
	 * @param target the writer's physical connection
	 * @param writer the node it was taken from, if known
	 * @return the connection to hand out
	 */
	static Connection connection(ReadYourWrites readYourWrites, Connection target, @Nullable DataSourceNode writer) {
		return (Connection) ObservingHandler.proxy(Connection.class, new CommitRecorder(readYourWrites, target, writer));
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
			return Proxy.newProxyInstance(CommitRecording.class.getClassLoader(), new Class<?>[] { type }, handler);
		}

	}

	/**
	 * Records a write in the current scope after each successful commit on the writer's connection.
	 */
	private static final class CommitRecorder extends ObservingHandler {

		private final ReadYourWrites readYourWrites;

		private final Connection target;

		private final @Nullable DataSourceNode writer;

		CommitRecorder(ReadYourWrites readYourWrites, Connection target, @Nullable DataSourceNode writer) {
			super(target);
			this.readYourWrites = readYourWrites;
			this.target = target;
			this.writer = writer;
		}

		@Override
		@Nullable Object returned(Method method, @Nullable Object result) throws SQLException {
			switch (method.getName()) {
				case "commit":
					this.readYourWrites.recordCommit(this.target, this.writer);
					return result;
				case "createStatement", "prepareStatement", "prepareCall":
					// Without a transaction each statement commits on its own: watch those for writes. Statements of
					// transactions are left alone (their commit is recorded above).
					return this.target.getAutoCommit()
							? proxy(method.getReturnType(),
									new AutoCommitWriteRecorder(this.readYourWrites, result, this.target, this.writer))
							: result;
				default:
					return result;
			}
		}

	}

	/**
	 * Records a write made by a statement that committed on its own (auto-commit), such as
	 * {@code JdbcTemplate.update} outside a transaction.
	 */
	private static final class AutoCommitWriteRecorder extends ObservingHandler {

		private final ReadYourWrites readYourWrites;

		private final Connection connection;

		private final @Nullable DataSourceNode writer;

		AutoCommitWriteRecorder(ReadYourWrites readYourWrites, Object statement, Connection connection,
				@Nullable DataSourceNode writer) {
			super(statement);
			this.readYourWrites = readYourWrites;
			this.connection = connection;
			this.writer = writer;
		}

		@Override
		@Nullable Object returned(Method method, @Nullable Object result) throws SQLException {
			if (isWrite(method.getName(), result) && this.connection.getAutoCommit()) {
				this.readYourWrites.recordCommit(this.connection, this.writer);
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
