package io.github.replicarouting.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.replicarouting.ReadOnly;
import io.github.replicarouting.topology.DataSourceNode;
import io.github.replicarouting.topology.NodeRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log lines that quote a driver message (running a read again, an unreachable primary at startup): driver messages
 * may quote a URL with its password.
 */
@ExtendWith(OutputCaptureExtension.class)
class RoutingAnnotationInterceptorLogTests {

	@Test
	void retryWarningMasksTheDriverMessage(CapturedOutput output) {
		RoutingAnnotationInterceptor interceptor = new RoutingAnnotationInterceptor(
				new AnnotationTransactionAttributeSource(), true, () -> null);
		ProxyFactory factory = new ProxyFactory(new Reads());
		factory.addAdvice(interceptor);
		Reads reads = (Reads) factory.getProxy();

		assertThat(reads.read()).isEqualTo("read on attempt 2");

		assertThat(output).contains("Reads.read(), running it again: Could not connect to")
			.contains("jdbc:mysql://app:******@db-1/app")
			.doesNotContain("s3cret");
	}

	@Test
	void unreachablePrimaryAtStartupIsLoggedMasked(CapturedOutput output) {
		DataSource unreachable = new DriverManagerDataSource("jdbc:unused") {

			@Override
			public Connection getConnection() throws SQLException {
				throw new SQLNonTransientConnectionException("Could not connect to address=(host=db-1)(port=3306)"
						+ "(user=app)(password=s3cret)", "08000");
			}

		};
		DataSourceNode primary = new DataSourceNode("primary", NodeRole.PRIMARY, unreachable, 1);
		try (RoutingDataSource router = new RoutingDataSource(primary, List.of(), new RoundRobinLoadBalancer(),
				List.of())) {
			router.initialize();
		}
		assertThat(output).contains("Could not reach the primary 'primary'")
			.contains("(password=******)")
			.doesNotContain("s3cret");
	}

	static class Reads {

		private final AtomicInteger attempts = new AtomicInteger();

		@ReadOnly
		public String read() {
			if (this.attempts.incrementAndGet() == 1) {
				String message = "Could not connect to jdbc:mysql://app:s3cret@db-1/app";
				throw new DataAccessResourceFailureException(message, new SQLNonTransientConnectionException(message));
			}
			return "read on attempt " + this.attempts.get();
		}

	}

}
