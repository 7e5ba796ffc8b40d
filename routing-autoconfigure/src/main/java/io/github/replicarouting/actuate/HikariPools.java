package io.github.replicarouting.actuate;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * Finds the Hikari pool behind a node's data source.
 */
final class HikariPools {

	private HikariPools() {
	}

	static @Nullable HikariDataSource of(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
