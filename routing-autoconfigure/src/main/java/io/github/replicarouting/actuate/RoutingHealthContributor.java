package io.github.replicarouting.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every node behind the router, as the topology monitor last saw it: {@code primary}, then {@code standbys}
 * and {@code replicas} with one entry per node.
 *
 * <p>The node that takes writes is {@code UP}. A replica is {@code UP}, {@link #LAGGING} (its lag shown) or
 * {@link #OUT_OF_ROTATION} (unreachable); a primary or standby that does not take writes is {@code UP} when reachable and
 * {@code OUT_OF_ROTATION} otherwise. Boot's default status aggregation leaves the two custom statuses out, so the
 * composite stays {@code UP} while some node takes writes, and is {@code DOWN} only when none does: one lagging or dead
 * replica does not take the application out of its load balancer. A group ({@code replicas}, {@code standbys}) whose
 * members all have a custom status is {@code UNKNOWN}.
 *
 * @since 0.1.0
 */
public final class RoutingHealthContributor implements CompositeHealthContributor {

	/** A replica further behind than {@code max-replication-lag}, or not replicating: serves no reads. */
	public static final Status LAGGING = new Status("LAGGING");

	/** A node that cannot be reached, while another node takes writes: serves nothing until it is back. */
	public static final Status OUT_OF_ROTATION = new Status("OUT_OF_ROTATION");

	private final Topology topology;

	/**
	 * Create a contributor for the nodes of a topology, including replicas added or removed later.
	 * @param topology the nodes and their state
	 */
	public RoutingHealthContributor(Topology topology) {
		this.topology = topology;
	}

	/** Made for each health request: replicas may have been added or removed since the last. */
	private CompositeHealthContributor nodes() {
		Topology topology = this.topology;
		Map<String, HealthContributor> nodes = new LinkedHashMap<>();
		nodes.put("primary", new NodeHealthIndicator(topology, topology.getPrimary().getName()));
		if (!topology.getStandbys().isEmpty()) {
			nodes.put("standbys", group(topology, topology.getStandbys()));
		}
		if (!topology.getReplicas().isEmpty()) {
			nodes.put("replicas", group(topology, topology.getReplicas()));
		}
		return CompositeHealthContributor.fromMap(nodes);
	}

	private static CompositeHealthContributor group(Topology topology, List<DataSourceNode> members) {
		Map<String, HealthContributor> group = new LinkedHashMap<>();
		for (DataSourceNode member : members) {
			group.put(member.getName(), new NodeHealthIndicator(topology, member.getName()));
		}
		return CompositeHealthContributor.fromMap(group);
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return nodes().getContributor(name);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return nodes().stream();
	}

}
