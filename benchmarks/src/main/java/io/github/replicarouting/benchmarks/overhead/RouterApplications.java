package io.github.replicarouting.benchmarks.overhead;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.baomidou.dynamic.datasource.annotation.DS;
import com.baomidou.dynamic.datasource.toolkit.DynamicDataSourceContextHolder;
import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.routing.Route;
import io.github.replicarouting.routing.RoutingContext;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.annotation.Transactional;

/**
 * One small Spring Boot application per alternative, all with the same setup: AOP, transaction management and a
 * {@code DataSourceTransactionManager}, three H2 nodes (primary, replica-1, replica-2), Hikari pools of
 * {@value #POOL_SIZE} connections (minimum idle = maximum), and a {@link ReadService} bean.
 */
public final class RouterApplications {

	/** Size of every pool, for every alternative: enough for 8 benchmark threads without waiting. */
	public static final int POOL_SIZE = 8;

	private RouterApplications() {
	}

	/**
	 * Start the application of one alternative and check that its reads go where they should.
	 * @param router the alternative
	 * @return the running application
	 */
	public static Started start(Router router) {
		H2Nodes.create(H2Nodes.NODES);
		SpringApplicationBuilder builder = new SpringApplicationBuilder(configurationOf(router))
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"logging.level.org.apache.shardingsphere=WARN", "spring.jmx.enabled=false")
			.properties(propertiesOf(router));
		ConfigurableApplicationContext context = builder.run();
		DataSource dataSource = context.getBean(DataSource.class);
		ReadService service = context.getBean(ReadService.class);
		Started started = new Started(router, context, dataSource, service, jdbcRead(router, dataSource));
		started.verify();
		return started;
	}

	private static Class<?> configurationOf(Router router) {
		return switch (router) {
			case RAW_HIKARI -> RawHikari.class;
			case RAW_HIKARI_PROXIED -> RawHikariProxied.class;
			case ROUTING_ANNOTATION -> RoutingAnnotation.class;
			case ROUTING_READ_ONLY_TX -> RoutingReadOnlyTransaction.class;
			case LAZY_PROXY -> LazyProxy.class;
			case SHARDINGSPHERE -> ShardingSphere.class;
			case DYNAMIC_DATASOURCE -> DynamicDataSource.class;
			case REFERENCE_THREAD_LOCAL -> ReferenceThreadLocal.class;
		};
	}

	private static Map<String, Object> propertiesOf(Router router) {
		Map<String, Object> properties = new LinkedHashMap<>();
		switch (router) {
			case RAW_HIKARI, RAW_HIKARI_PROXIED -> {
				// Like for like: one read-only pool on a replica, as each of our replica pools is.
				properties.put("spring.datasource.url", H2Nodes.url("replica-1"));
				properties.put("spring.datasource.hikari.read-only", true);
				properties.put("spring.datasource.username", "sa");
				properties.put("spring.datasource.password", "");
				properties.put("spring.datasource.hikari.maximum-pool-size", POOL_SIZE);
				properties.put("spring.datasource.hikari.minimum-idle", POOL_SIZE);
			}
			case ROUTING_ANNOTATION, ROUTING_READ_ONLY_TX -> {
				properties.put("routing.datasource.primary.url", H2Nodes.url("primary"));
				properties.put("routing.datasource.primary.username", "sa");
				properties.put("routing.datasource.primary.password", "");
				for (String replica : new String[] { "replica-1", "replica-2" }) {
					String prefix = "routing.datasource.replicas." + replica;
					properties.put(prefix + ".url", H2Nodes.url(replica));
				}
				properties.put("routing.datasource.hikari.maximum-pool-size", POOL_SIZE);
				properties.put("routing.datasource.hikari.minimum-idle", POOL_SIZE);
			}
			case DYNAMIC_DATASOURCE -> {
				properties.put("spring.datasource.dynamic.primary", "master");
				properties.put("spring.datasource.dynamic.strict", true);
				Map<String, String> nodes = Map.of("master", "primary", "slave_1", "replica-1", "slave_2", "replica-2");
				nodes.forEach((key, node) -> {
					String prefix = "spring.datasource.dynamic.datasource." + key;
					properties.put(prefix + ".url", H2Nodes.url(node));
					properties.put(prefix + ".username", "sa");
					properties.put(prefix + ".password", "");
					properties.put(prefix + ".driver-class-name", "org.h2.Driver");
					properties.put(prefix + ".type", HikariDataSource.class.getName());
				});
				properties.put("spring.datasource.dynamic.hikari.maximum-pool-size", POOL_SIZE);
				properties.put("spring.datasource.dynamic.hikari.minimum-idle", POOL_SIZE);
			}
			default -> {
				// Data source built by the configuration class.
			}
		}
		return properties;
	}

	private static JdbcRead jdbcRead(Router router, DataSource dataSource) {
		return switch (router) {
			case RAW_HIKARI, RAW_HIKARI_PROXIED, SHARDINGSPHERE -> () -> {
				try (Connection connection = dataSource.getConnection()) {
					return H2Nodes.query(connection);
				}
			};
			case ROUTING_ANNOTATION -> () -> {
				// What the @ReadOnly interceptor (and Routing.onReplica) does around the method.
				try (RoutingContext.Scope scope = RoutingContext.push(Route.REPLICA, "JdbcReadBenchmark.read()")) {
					try (Connection connection = dataSource.getConnection()) {
						return H2Nodes.query(connection);
					}
				}
			};
			case ROUTING_READ_ONLY_TX, LAZY_PROXY -> () -> {
				try (Connection connection = dataSource.getConnection()) {
					connection.setReadOnly(true);
					return H2Nodes.query(connection);
				}
			};
			case REFERENCE_THREAD_LOCAL -> () -> ThreadLocalRouter.onReplica(() -> {
				try (Connection connection = dataSource.getConnection()) {
					return H2Nodes.query(connection);
				}
			});
			case DYNAMIC_DATASOURCE -> () -> {
				DynamicDataSourceContextHolder.push("slave");
				try (Connection connection = dataSource.getConnection()) {
					return H2Nodes.query(connection);
				}
				finally {
					DynamicDataSourceContextHolder.poll();
				}
			};
		};
	}

	static HikariDataSource pool(String node, boolean readOnly) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName(node);
		pool.setJdbcUrl(H2Nodes.url(node));
		pool.setUsername("sa");
		pool.setPassword("");
		pool.setMaximumPoolSize(POOL_SIZE);
		pool.setMinimumIdle(POOL_SIZE);
		pool.setReadOnly(readOnly);
		return pool;
	}

	static String readInTransaction(DataSource dataSource) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			return H2Nodes.query(connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * A running alternative.
	 * @param router which one
	 * @param context its application context
	 * @param dataSource its {@code DataSource} bean
	 * @param service the read-only transaction bean
	 * @param jdbcRead the same read without Spring transactions
	 */
	public record Started(Router router, ConfigurableApplicationContext context, DataSource dataSource,
			ReadService service, JdbcRead jdbcRead) implements AutoCloseable {

		void verify() {
			Map<String, Integer> transactional = new LinkedHashMap<>();
			Map<String, Integer> plain = new LinkedHashMap<>();
			try {
				for (int i = 0; i < 8; i++) {
					transactional.merge(this.service.read(), 1, Integer::sum);
					plain.merge(this.jdbcRead.read(), 1, Integer::sum);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			boolean raw = this.router == Router.RAW_HIKARI || this.router == Router.RAW_HIKARI_PROXIED;
			for (Map<String, Integer> served : java.util.List.of(transactional, plain)) {
				boolean ok = raw ? served.keySet().equals(java.util.Set.of("replica-1"))
						: served.keySet().stream().allMatch((node) -> node.startsWith("replica"));
				if (!ok) {
					throw new IllegalStateException(this.router.id() + " served its reads from the wrong nodes: "
							+ "transactional " + transactional + ", plain JDBC " + plain);
				}
			}
			System.out.println("[verify] " + this.router.id() + ": read-only transactions served by " + transactional
					+ ", plain JDBC reads by " + plain + ", Hikari pools (maximum-pool-size) " + poolSizes()
					+ ((this.dataSource instanceof RoutingDataSource routing)
							? ", node states (monitor running) " + routing.getTopology().getStatuses().stream()
								.map((status) -> status.name() + "=" + status.state())
								.toList()
							: ""));
		}

		private Map<String, Integer> poolSizes() {
			Map<String, Integer> sizes = new java.util.TreeMap<>();
			try {
				if (this.dataSource instanceof RoutingDataSource routing) {
					for (DataSourceNode node : routing.getTopology().getNodes()) {
						HikariDataSource pool = node.getDataSource().unwrap(HikariDataSource.class);
						sizes.put(pool.getPoolName(), pool.getMaximumPoolSize());
					}
				}
				else if (this.dataSource instanceof com.baomidou.dynamic.datasource.DynamicRoutingDataSource dynamic) {
					for (Map.Entry<String, DataSource> entry : dynamic.getDataSources().entrySet()) {
						sizes.put(entry.getKey(), entry.getValue().unwrap(HikariDataSource.class).getMaximumPoolSize());
					}
				}
				else {
					this.context.getBeansOfType(HikariDataSource.class)
						.values()
						.forEach((pool) -> sizes.put(pool.getPoolName(), pool.getMaximumPoolSize()));
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			return sizes;
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/** Hibernate / Spring Data JPA: on this module's class path for the end-to-end part only. */
	static final String HIBERNATE_JPA = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration";

	static final String DATA_JPA = "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration";

	static final String DYNAMIC_DATASOURCE = "com.baomidou.dynamic.datasource.spring.boot.autoconfigure.DynamicDataSourceAutoConfiguration";

	static final String DYNAMIC_DATASOURCE_METRICS = "com.baomidou.dynamic.datasource.spring.boot.autoconfigure.DynamicDataSourcePoolMetricsAutoConfiguration";

	/**
	 * Everything Boot auto-configures for a JDBC application, as a {@code @SpringBootApplication} gets it (the
	 * routing starter's diagnostics, health, metrics and web configuration included, where their classes are
	 * present), less JPA and the alternatives that are on this module's class path only because it benchmarks them.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { HIBERNATE_JPA, DATA_JPA, DYNAMIC_DATASOURCE, DYNAMIC_DATASOURCE_METRICS })
	static class Common {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class RawHikari {

		@Bean
		ReadOnlyTransactionService readService(DataSource dataSource) {
			return new ReadOnlyTransactionService(dataSource);
		}

	}

	/**
	 * Raw Hikari with the bean behind a proxy of two advices, as {@code @ReadOnly @Transactional} is: the
	 * transaction's and a no-op one (Spring AOP's own cost per call, which is not the router's).
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class RawHikariProxied {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static org.springframework.aop.support.DefaultPointcutAdvisor noOpAdvisor() {
			return new org.springframework.aop.support.DefaultPointcutAdvisor(
					org.springframework.aop.support.annotation.AnnotationMatchingPointcut
						.forMethodAnnotation(NoOpAdvice.class),
					(org.aopalliance.intercept.MethodInterceptor) (invocation) -> invocation.proceed());
		}

		@Bean
		NoOpAdvisedService readService(DataSource dataSource) {
			return new NoOpAdvisedService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class Routing {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Routing.class)
	static class RoutingAnnotation {

		@Bean
		ReadOnlyAnnotatedService readService(DataSource dataSource) {
			return new ReadOnlyAnnotatedService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Routing.class)
	static class RoutingReadOnlyTransaction {

		@Bean
		ReadOnlyTransactionService readService(DataSource dataSource) {
			return new ReadOnlyTransactionService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class LazyProxy {

		@Bean(destroyMethod = "close")
		HikariDataSource primaryPool() {
			return pool("primary", false);
		}

		@Bean(destroyMethod = "close")
		HikariDataSource replicaPool() {
			return pool("replica-1", false);
		}

		@Bean
		@Primary
		LazyConnectionDataSourceProxy dataSource(HikariDataSource primaryPool, HikariDataSource replicaPool) {
			LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(primaryPool);
			proxy.setReadOnlyDataSource(replicaPool);
			return proxy;
		}

		@Bean
		ReadOnlyTransactionService readService(LazyConnectionDataSourceProxy dataSource) {
			return new ReadOnlyTransactionService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class ShardingSphere {

		static final String YAML = """
				databaseName: bench
				mode:
				  type: Standalone
				  repository:
				    type: JDBC
				dataSources:
				  primary:
				    dataSourceClassName: com.zaxxer.hikari.HikariDataSource
				    driverClassName: org.h2.Driver
				    jdbcUrl: %1$s
				    username: sa
				    password:
				    maximumPoolSize: %4$d
				    minimumIdle: %4$d
				  replica_1:
				    dataSourceClassName: com.zaxxer.hikari.HikariDataSource
				    driverClassName: org.h2.Driver
				    jdbcUrl: %2$s
				    username: sa
				    password:
				    maximumPoolSize: %4$d
				    minimumIdle: %4$d
				  replica_2:
				    dataSourceClassName: com.zaxxer.hikari.HikariDataSource
				    driverClassName: org.h2.Driver
				    jdbcUrl: %3$s
				    username: sa
				    password:
				    maximumPoolSize: %4$d
				    minimumIdle: %4$d
				rules:
				- !READWRITE_SPLITTING
				  dataSourceGroups:
				    readwrite_ds:
				      writeDataSourceName: primary
				      readDataSourceNames:
				        - replica_1
				        - replica_2
				      loadBalancerName: round_robin
				  loadBalancers:
				    round_robin:
				      type: ROUND_ROBIN
				- !SINGLE
				  tables:
				    - "*.*"
				props:
				  sql-show: false
				""";

		@Bean(destroyMethod = "close")
		DataSource dataSource() throws Exception {
			String yaml = YAML.formatted(H2Nodes.url("primary"), H2Nodes.url("replica-1"), H2Nodes.url("replica-2"),
					POOL_SIZE);
			return YamlShardingSphereDataSourceFactory.createDataSource(yaml.getBytes(StandardCharsets.UTF_8));
		}

		@Bean
		ReadOnlyTransactionService readService(DataSource dataSource) {
			return new ReadOnlyTransactionService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Common.class)
	static class ReferenceThreadLocal {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static ThreadLocalRouter.Advisor threadLocalRouterAdvisor() {
			return new ThreadLocalRouter.Advisor();
		}

		@Bean(destroyMethod = "close")
		HikariDataSource primaryPool() {
			return pool("primary", false);
		}

		@Bean(destroyMethod = "close")
		HikariDataSource replicaPool1() {
			return pool("replica-1", false);
		}

		@Bean(destroyMethod = "close")
		HikariDataSource replicaPool2() {
			return pool("replica-2", false);
		}

		@Bean
		@Primary
		ThreadLocalRouter.RoutingDataSource dataSource(HikariDataSource primaryPool, HikariDataSource replicaPool1,
				HikariDataSource replicaPool2) {
			return new ThreadLocalRouter.RoutingDataSource(primaryPool, replicaPool1, replicaPool2);
		}

		@Bean
		ReadOnlyAnnotatedService readService(ThreadLocalRouter.RoutingDataSource dataSource) {
			return new ReadOnlyAnnotatedService(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { HIBERNATE_JPA, DATA_JPA })
	static class DynamicDataSource {

		@Bean
		SlaveGroupService readService(DataSource dataSource) {
			return new SlaveGroupService(dataSource);
		}

	}

	/**
	 * {@code @Transactional(readOnly = true)}: the read-only transaction everyone can route.
	 */
	public static class ReadOnlyTransactionService implements ReadService {

		private final DataSource dataSource;

		public ReadOnlyTransactionService(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		@Transactional(readOnly = true)
		public String read() {
			return readInTransaction(this.dataSource);
		}

	}

	/** Marks the method the no-op advice of {@link RawHikariProxied} applies to. */
	@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
	@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
	public @interface NoOpAdvice {

	}

	/**
	 * {@code @Transactional(readOnly = true)} and a second, no-op advice: the proxied-bean baseline of
	 * {@code @ReadOnly @Transactional}.
	 */
	public static class NoOpAdvisedService implements ReadService {

		private final DataSource dataSource;

		public NoOpAdvisedService(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		@NoOpAdvice
		@Transactional(readOnly = true)
		public String read() {
			return readInTransaction(this.dataSource);
		}

	}

	/**
	 * {@code @ReadOnly} with {@code @Transactional}, as in the starter's README.
	 */
	public static class ReadOnlyAnnotatedService implements ReadService {

		private final DataSource dataSource;

		public ReadOnlyAnnotatedService(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		@ReadOnly
		@Transactional
		public String read() {
			return readInTransaction(this.dataSource);
		}

	}

	/**
	 * dynamic-datasource's way: {@code @DS("slave")} picks the slave group, {@code @Transactional(readOnly = true)}.
	 */
	public static class SlaveGroupService implements ReadService {

		private final DataSource dataSource;

		public SlaveGroupService(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		@DS("slave")
		@Transactional(readOnly = true)
		public String read() {
			return readInTransaction(this.dataSource);
		}

	}

}
