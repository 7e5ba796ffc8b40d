package io.github.replicarouting.benchmarks.overhead;

/**
 * A Spring bean whose one method runs a read-only transaction: connection, {@link H2Nodes#QUERY}, release.
 */
public interface ReadService {

	/**
	 * Run the read-only transaction.
	 * @return the node that served it
	 */
	String read();

}
