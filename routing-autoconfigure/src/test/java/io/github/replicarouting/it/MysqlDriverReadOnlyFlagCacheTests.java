package io.github.replicarouting.it;

/**
 * Spring's cached read-only flag behind the router, through mysql JDBC URLs.
 */
class MysqlDriverReadOnlyFlagCacheTests extends ReadOnlyFlagCacheTests {

	@Override
	String scheme() {
		return "mysql";
	}

}
