package io.github.replicarouting.consistency;

import java.util.List;

import io.github.replicarouting.database.DatabaseFlavour;
import io.github.replicarouting.database.DatabaseFlavours;
import io.github.replicarouting.topology.DataSourceNode;
import org.jspecify.annotations.Nullable;

/**
 * Where a read may go under read-your-writes.
 *
 * @param kind the kind of plan
 * @param replicas for {@link Kind#REPLICAS}, the replicas to choose from
 * @param waitFor for {@link Kind#REPLICAS}, a GTID the chosen replica must be waited on for, or {@code null} when the
 * listed replicas are known to have it
 * @param flavour the database flavour of {@code waitFor}, which knows how to wait for it
 * @since 0.1.0
 */
public record ReadPlan(Kind kind, @Nullable List<DataSourceNode> replicas, @Nullable String waitFor,
		DatabaseFlavour flavour) {

	/** No constraint: any replica in rotation. */
	public static final ReadPlan ANY_REPLICA = new ReadPlan(Kind.ANY_REPLICA, null, null, DatabaseFlavours.MARIADB);

	/** The writer, because the scope wrote less than {@code sticky-window} ago. */
	public static final ReadPlan WRITER_STICKY = new ReadPlan(Kind.WRITER_STICKY, null, null, DatabaseFlavours.MARIADB);

	/** The writer, because no replica can have the scope's last write in time. */
	public static final ReadPlan WRITER_CAUSAL = new ReadPlan(Kind.WRITER_CAUSAL, null, null, DatabaseFlavours.MARIADB);

	/**
	 * Kinds of plan.
	 */
	public enum Kind {

		/** Any replica in rotation. */
		ANY_REPLICA,

		/** One of the listed replicas, possibly after waiting for a GTID. */
		REPLICAS,

		/** The writer, sticky mode. */
		WRITER_STICKY,

		/** The writer, causal mode. */
		WRITER_CAUSAL

	}

}
