package io.github.replicarouting.autoconfigure;

import java.util.function.Function;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.TopologyMonitor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the topology monitor of the routing {@code DataSource} from the context's start to its stop: a lifecycle, so it
 * runs whether or not beans are initialized lazily, and nothing when a test database has replaced the routing
 * {@code DataSource}.
 */
final class TopologyMonitorLifecycle implements SmartLifecycle, DisposableBean {

	/**
	 * Before the web server takes requests ({@code SmartLifecycle.DEFAULT_PHASE - 2048}), and stopped after it.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ObjectProvider<DataSource> dataSource;

	private final Function<RoutingDataSource, TopologyMonitor> monitorFactory;

	private volatile @Nullable TopologyMonitor monitor;

	TopologyMonitorLifecycle(ObjectProvider<DataSource> dataSource,
			Function<RoutingDataSource, TopologyMonitor> monitorFactory) {
		this.dataSource = dataSource;
		this.monitorFactory = monitorFactory;
	}

	@Override
	public synchronized void start() {
		// By unwrapping: instrumentation may have wrapped the bean.
		RoutingDataSource routing = RoutingDataSource.from(this.dataSource.getIfUnique());
		if (this.monitor == null && routing != null) {
			TopologyMonitor started = this.monitorFactory.apply(routing);
			started.start();
			this.monitor = started;
		}
	}

	@Override
	public synchronized void stop() {
		TopologyMonitor running = this.monitor;
		this.monitor = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.monitor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		stop();
	}

}
