package io.github.replicarouting.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.replicarouting.benchmarks.overhead.H2Nodes;
import io.github.replicarouting.routing.RoutingDataSource;
import io.github.replicarouting.topology.DataSourceNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a fresh JVM by {@link ScaleModel}: starts one variant on H2 and prints one {@code RESULT} line with its
 * start-up time, the heap and threads it added once every pool has handed out a connection, and its connections.
 */
public final class StartupProbe {

	/** Small pools, as in the seed topology. */
	static final int MAX_POOL = 2;

	private StartupProbe() {
	}

	public static void main(String[] args) throws Exception {
		String variant = args[0];
		int replicas = variant.equals("routing-12") ? 10 : 0;
		boolean standby = variant.equals("routing-12");
		List<String> nodes = new ArrayList<>(List.of("primary"));
		if (standby) {
			nodes.add("standby-1");
		}
		for (int i = 1; i <= replicas; i++) {
			nodes.add("replica-" + i);
		}
		H2Nodes.create(nodes.toArray(String[]::new));
		Map<String, Object> properties = ScaleApplications.common();
		Class<?> configuration;
		if (variant.equals("single-pool")) {
			configuration = ScaleApplications.SinglePool.class;
			properties.put("spring.datasource.url", H2Nodes.url("primary"));
			properties.put("spring.datasource.username", "sa");
			properties.put("spring.datasource.hikari.maximum-pool-size", MAX_POOL);
			properties.put("spring.datasource.hikari.minimum-idle", 1);
		}
		else {
			configuration = ScaleApplications.RoutingWithoutMonitor.class;
			properties.put("routing.datasource.primary.url", H2Nodes.url("primary"));
			properties.put("routing.datasource.primary.username", "sa");
			if (standby) {
				properties.put("routing.datasource.standbys.standby-1.url", H2Nodes.url("standby-1"));
			}
			for (int i = 1; i <= replicas; i++) {
				properties.put("routing.datasource.replicas.replica-" + i + ".url", H2Nodes.url("replica-" + i));
				properties.put("routing.datasource.replicas.replica-" + i + ".hikari.connection-init-sql", "SELECT 1");
			}
			properties.put("routing.datasource.hikari.maximum-pool-size", MAX_POOL);
			properties.put("routing.datasource.hikari.minimum-idle", 1);
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long heapBefore = usedHeapAfterGc(memory);
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		long start = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(configuration)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties)
			.run();
		long startupMicros = (System.nanoTime() - start) / 1000;
		DataSource dataSource = context.getBean(DataSource.class);
		List<HikariDataSource> pools = new ArrayList<>();
		if (dataSource instanceof RoutingDataSource routing) {
			for (DataSourceNode node : routing.getTopology().getNodes()) {
				pools.add((HikariDataSource) node.getDataSource());
			}
		}
		else {
			pools.add((HikariDataSource) dataSource);
		}
		long touchStart = System.nanoTime();
		for (HikariDataSource pool : pools) {
			try (Connection connection = pool.getConnection()) {
				H2Nodes.query(connection);
			}
		}
		long touchMicros = (System.nanoTime() - touchStart) / 1000;
		Thread.sleep(500);
		long heapAfter = usedHeapAfterGc(memory);
		int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
		int connections = pools.stream().mapToInt((pool) -> pool.getHikariPoolMXBean().getTotalConnections()).sum();
		System.out.println("RESULT startupMicros=" + startupMicros + " touchMicros=" + touchMicros + " heapKb="
				+ (heapAfter - heapBefore) / 1024 + " threads=" + (threadsAfter - threadsBefore) + " pools="
				+ pools.size() + " connections=" + connections);
		context.close();
	}

	private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(50);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
