package io.github.replicarouting.autoconfigure;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for primary/replica
 * routing: a routing {@code DataSource} over Hikari pools built from {@code routing.datasource.*}, and the interceptor
 * that honours {@code @ReadOnly} and {@code @UsePrimary}.
 *
 * <p>Steps aside entirely, as Boot's own {@code DataSource} does, when the application defines its own
 * {@code DataSource}, when {@link DataSourceAutoConfiguration} is excluded, and when no routing node is configured.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(HikariDataSource.class)
@ConditionalOnBooleanProperty(name = "routing.datasource.enabled", matchIfMissing = true)
@ConditionalOnMissingBean({ DataSource.class, XADataSource.class })
@Conditional(OnRoutingNodesCondition.class)
@EnableConfigurationProperties(RoutingDataSourceProperties.class)
@Import({ RoutingDataSourceConfiguration.class, RoutingInterceptorConfiguration.class,
		RoutingHibernateConfiguration.class, ReadYourWritesWebConfiguration.class,
		RoutingConnectionDetailsConfiguration.class })
public final class RoutingDataSourceAutoConfiguration {

}
