package io.github.replicarouting.autoconfigure;

import java.util.function.Function;

import javax.sql.DataSource;

import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.TopologyMonitor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the topology monitor of the routing {@code DataSource} from the context's start to its stop: a lifecycle, so it
 * runs whether or not beans are initialized lazily, and nothing when a test database has replaced the routing
 * {@code DataSource}. When the {@code DataSource} bean wraps a routing one that it does not unwrap to, neither the
 * monitor nor the {@code @ReadOnly}/{@code @UsePrimary} advisor can find the router: it says so once, at start.
 */
final class TopologyMonitorLifecycle implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(TopologyMonitorLifecycle.class);

	/**
	 * Before the web server takes requests ({@code SmartLifecycle.DEFAULT_PHASE - 2048}), and stopped after it.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ObjectProvider<DataSource> dataSource;

	private final Function<RoutingDataSource, TopologyMonitor> monitorFactory;

	private final ConfigurableListableBeanFactory beanFactory;

	private volatile @Nullable TopologyMonitor monitor;

	private boolean unreachableReported;

	TopologyMonitorLifecycle(ObjectProvider<DataSource> dataSource,
			Function<RoutingDataSource, TopologyMonitor> monitorFactory, ConfigurableListableBeanFactory beanFactory) {
		this.dataSource = dataSource;
		this.monitorFactory = monitorFactory;
		this.beanFactory = beanFactory;
	}

	@Override
	public synchronized void start() {
		// By unwrapping: instrumentation may have wrapped the bean.
		DataSource bean = this.dataSource.getIfUnique();
		RoutingDataSource routing = RoutingDataSource.from(bean);
		if (routing == null && bean != null) {
			reportUnreachableRouter(bean);
		}
		if (this.monitor == null && routing != null) {
			TopologyMonitor started = this.monitorFactory.apply(routing);
			started.start();
			this.monitor = started;
		}
	}

	/**
	 * A routing {@code DataSource} is defined but the {@code DataSource} bean does not unwrap to it (a wrapper that
	 * does not delegate {@code unwrap}/{@code isWrapperFor}). Nothing is said when no router is defined: a test
	 * database or the application's own {@code DataSource} replaced it on purpose.
	 */
	private void reportUnreachableRouter(DataSource bean) {
		String router = routingDataSourceDefinition();
		if (router == null || this.unreachableReported) {
			return;
		}
		this.unreachableReported = true;
		logger.warn("The DataSource bean (" + bean.getClass().getName() + ") wraps the routing DataSource bean '"
				+ router + "' but does not unwrap to it, so the topology monitor does not run (no health checks, "
				+ "no lag checks) and @ReadOnly/@UsePrimary route nothing. Make the wrapper delegate "
				+ "DataSource.unwrap and isWrapperFor to the data source it wraps.");
	}

	private @Nullable String routingDataSourceDefinition() {
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			// The definition's type, not the bean's: a wrapping post-processor changed the bean, not its definition.
			Class<?> type = this.beanFactory.getMergedBeanDefinition(name).getResolvableType().resolve();
			if (type != null && RoutingDataSource.class.isAssignableFrom(type)) {
				return name;
			}
		}
		return null;
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
