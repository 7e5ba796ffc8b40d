package io.github.replicarouting.it;

/**
 * Spring's cached read-only flag behind the router, through mariadb JDBC URLs.
 */
class MariadbDriverReadOnlyFlagCacheTests extends ReadOnlyFlagCacheTests {

	@Override
	String scheme() {
		return "mariadb";
	}

}
