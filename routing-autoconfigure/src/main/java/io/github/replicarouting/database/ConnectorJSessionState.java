package io.github.replicarouting.database;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What MySQL Connector/J ({@code trackSessionState=true}) kept of the session state the server sent with its last
 * reply: the commit's GTID, read without a round trip. Reached by reflection, so that the library needs no Connector/J
 * on the class path; without it, or on another driver's connection, it knows nothing.
 *
 * <p>Connector/J replaces what it keeps with each OK packet (an empty list when the reply carried no change), so right
 * after a commit it holds exactly what the commit's reply said: a commit that wrote nothing reports no GTID, never the
 * one of an earlier write.
 */
final class ConnectorJSessionState {

	/** {@code SESSION_TRACK_SYSTEM_VARIABLES}: values are a variable's name and its new value. */
	static final int SYSTEM_VARIABLE = 0;

	/** {@code SESSION_TRACK_GTIDS}: the value is the GTID set the session's transaction was given. */
	static final int GTIDS = 3;

	/**
	 * MariaDB reports a commit's GTID as a change of {@code last_gtid} once the session tracks that variable (its
	 * default list lacks it): added to the session's list, which keeps what the server tracks by default. MySQL has
	 * no such variable and only warns that it ignores the name.
	 */
	static final String TRACK_LAST_GTID = "session_track_system_variables="
			+ "CONCAT(@@session.session_track_system_variables,',last_gtid')";

	/**
	 * MySQL 8 reports the session's own GTIDs when asked to. MariaDB, which has no such variable, skips
	 * {@code /*!80000 ... *}{@code /}: it reads such comments as MySQL-only code. The comma is the next item of
	 * Connector/J's {@code SET} (whether or not it splits {@code sessionVariables} at it, the statement is the same).
	 */
	static final String TRACK_OWN_GTID = "/*!80000 ,session_track_gtids=OWN_GTID*/";

	/**
	 * The driver properties of a writer's pool: the driver reads the session state from every reply, and the session
	 * asks the server for its commits' GTIDs, in the one {@code SET} Connector/J sends when it connects.
	 */
	static final Map<String, String> WRITER_PROPERTIES = Map.of("trackSessionState", "true", "sessionVariables",
			TRACK_LAST_GTID + TRACK_OWN_GTID);

	private static final @Nullable Accessors ACCESSORS = Accessors.find();

	private ConnectorJSessionState() {
	}

	/**
	 * The new value of a system variable in the session state of the connection's last reply.
	 * @param connection a connection, of any driver (a pool's proxy included)
	 * @param variable the variable's name
	 * @return the value, or {@code null} if the driver is not Connector/J, tracks nothing, or the reply did not
	 * change that variable
	 */
	static @Nullable String systemVariable(Connection connection, String variable) {
		List<?> values = lastChange(connection, SYSTEM_VARIABLE, variable);
		return (values != null && values.size() == 2) ? (String) values.get(1) : null;
	}

	/**
	 * The GTIDs in the session state of the connection's last reply.
	 * @param connection a connection, of any driver (a pool's proxy included)
	 * @return the GTID set, or {@code null} if the driver is not Connector/J, tracks nothing, or the reply carried
	 * no GTID
	 */
	static @Nullable String gtids(Connection connection) {
		List<?> values = lastChange(connection, GTIDS, null);
		return (values != null && values.size() == 1) ? (String) values.get(0) : null;
	}

	/**
	 * The values of the reply's last change of a type (and, for a system variable, of that variable): a reply may
	 * change several variables.
	 */
	private static @Nullable List<?> lastChange(Connection connection, int type, @Nullable String variable) {
		Accessors accessors = ACCESSORS;
		if (accessors == null) {
			return null;
		}
		try {
			if (!connection.isWrapperFor(accessors.connectionType)) {
				return null;
			}
			Object controller = accessors.controller.invokeExact((Object) connection.unwrap(accessors.connectionType));
			Object changes = (controller != null) ? accessors.changes.invokeExact(controller) : null;
			List<?> list = (changes != null) ? (List<?>) accessors.list.invokeExact(changes) : null;
			if (list == null) {
				return null;
			}
			List<?> found = null;
			for (int i = 0; i < list.size(); i++) {
				Object change = list.get(i);
				if ((int) accessors.type.invokeExact(change) == type) {
					List<?> values = (List<?>) accessors.values.invokeExact(change);
					if (variable == null || (!values.isEmpty() && variable.equals(values.get(0)))) {
						found = values;
					}
				}
			}
			return found;
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// The commit succeeded: a connection that cannot say (closed, a wrapper that does not unwrap, a Connector/J
			// that keeps its state otherwise) must not fail it. Ask instead.
			return null;
		}
	}

	/**
	 * Connector/J's public session-state methods, looked up once.
	 */
	private static final class Accessors {

		private final Class<?> connectionType;

		private final MethodHandle controller;

		private final MethodHandle changes;

		private final MethodHandle list;

		private final MethodHandle type;

		private final MethodHandle values;

		private Accessors(ClassLoader classLoader) throws ReflectiveOperationException {
			this.connectionType = Class.forName("com.mysql.cj.MysqlConnection", false, classLoader);
			Class<?> controllerType = Class.forName("com.mysql.cj.protocol.ServerSessionStateController", false,
					classLoader);
			Class<?> changesType = Class.forName(
					"com.mysql.cj.protocol.ServerSessionStateController$ServerSessionStateChanges", false, classLoader);
			Class<?> changeType = Class.forName(
					"com.mysql.cj.protocol.ServerSessionStateController$SessionStateChange", false, classLoader);
			this.controller = handle(this.connectionType, "getServerSessionStateController", Object.class);
			this.changes = handle(controllerType, "getSessionStateChanges", Object.class);
			this.list = handle(changesType, "getSessionStateChangesList", List.class);
			this.type = handle(changeType, "getType", int.class);
			this.values = handle(changeType, "getValues", List.class);
		}

		private static MethodHandle handle(Class<?> owner, String name, Class<?> returned)
				throws ReflectiveOperationException {
			return MethodHandles.publicLookup()
				.unreflect(owner.getMethod(name))
				.asType(MethodType.methodType(returned, Object.class));
		}

		static @Nullable Accessors find() {
			try {
				return new Accessors(ConnectorJSessionState.class.getClassLoader());
			}
			catch (ReflectiveOperationException | LinkageError ex) {
				// No Connector/J (or one without session tracking, before 8.0.26): commits' positions are asked.
				return null;
			}
		}

	}

}
