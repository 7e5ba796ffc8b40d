package io.github.replicarouting.benchmarks.overhead;

import java.util.Arrays;

/**
 * The routing layers compared, by the name used as a JMH parameter.
 */
public enum Router {

	/** One plain read-only Hikari pool on a replica: the physical limit (1.00). */
	RAW_HIKARI("raw-hikari", "raw HikariDataSource, read-only pool on replica-1 (baseline)"),

	/** The same, the bean behind a second (no-op) advice: the baseline of the {@code @ReadOnly} row. */
	RAW_HIKARI_PROXIED("raw-hikari-proxied", "raw HikariDataSource, bean with a second (no-op) advice (baseline of @ReadOnly)"),

	/** Our routing DataSource, route requested by {@code @ReadOnly} (annotation path). */
	ROUTING_ANNOTATION("routing-annotation", "replica-routing, @ReadOnly"),

	/** Our routing DataSource, route taken from {@code @Transactional(readOnly = true)}. */
	ROUTING_READ_ONLY_TX("routing-read-only-tx", "replica-routing, @Transactional(readOnly = true)"),

	/** Spring's {@code LazyConnectionDataSourceProxy} with {@code setReadOnlyDataSource} (one replica). */
	LAZY_PROXY("lazy-proxy", "Spring LazyConnectionDataSourceProxy + setReadOnlyDataSource"),

	/** Apache ShardingSphere-JDBC 5.5.2, readwrite-splitting rule. */
	SHARDINGSPHERE("shardingsphere", "ShardingSphere-JDBC 5.5.2 readwrite-splitting"),

	/** baomidou dynamic-datasource 4.5.0, master/slave group, {@code @DS("slave")}. */
	DYNAMIC_DATASOURCE("dynamic-datasource", "dynamic-datasource 4.5.0, @DS(\"slave\") group"),

	/** Reference, not a product: a bare ThreadLocal flag set by an interceptor + {@code AbstractRoutingDataSource}. */
	REFERENCE_THREAD_LOCAL("reference-threadlocal", "reference: bare ThreadLocal router, @ReadOnly");

	private final String id;

	private final String label;

	Router(String id, String label) {
		this.id = id;
		this.label = label;
	}

	public String id() {
		return this.id;
	}

	public String label() {
		return this.label;
	}

	public static Router of(String id) {
		return Arrays.stream(values())
			.filter((router) -> router.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown router '" + id + "'"));
	}

}
