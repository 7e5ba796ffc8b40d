package io.github.replicarouting.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives test classes one running {@link ReplicationCluster}, started on first use and
 * shared by every test class of the run, because starting MariaDB takes seconds.
 *
 * <p>The shared cluster has a primary, one standby primary ({@code standby-1}, read-only, master-master with the
 * primary) and two replicas ({@code replica-1}, {@code replica-2}). Use it through {@link WithReplicationCluster};
 * inject the cluster as a test or lifecycle method parameter, or call {@link #sharedCluster()} (for example from a
 * {@code @DynamicPropertySource} method). A test that stops or kills a node, pauses replication or switches writes over
 * to the standby must start, resume or switch back before it ends.
 *
 * @since 0.1.0
 */
public class ReplicationClusterExtension implements BeforeAllCallback, ParameterResolver {

	private static final Object lock = new Object();

	private static @Nullable ReplicationCluster shared;

	/**
	 * The cluster shared by this JVM, started on first call and stopped when the JVM (or the test run) ends.
	 * @return the running cluster
	 */
	public static ReplicationCluster sharedCluster() {
		synchronized (lock) {
			ReplicationCluster cluster = shared;
			if (cluster == null) {
				cluster = ReplicationCluster.builder().standbys(1).start();
				Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "replication-cluster-shutdown"));
				shared = cluster;
			}
			return cluster;
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// Stop the cluster when the whole run ends, not when this class ends, so the next class reuses it.
		context.getRoot()
			.getStore(ExtensionContext.Namespace.create(ReplicationClusterExtension.class))
			.computeIfAbsent(ClusterResource.class, (key) -> new ClusterResource(sharedCluster()), ClusterResource.class);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == ReplicationCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return sharedCluster();
	}

	private record ClusterResource(ReplicationCluster cluster) implements AutoCloseable {

		@Override
		public void close() {
			synchronized (lock) {
				this.cluster.close();
				shared = null;
			}
		}

	}

}
