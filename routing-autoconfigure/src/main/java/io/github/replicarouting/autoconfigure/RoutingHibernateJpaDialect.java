package io.github.replicarouting.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;

import io.github.replicarouting.routing.ReadOnlyViolations;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.hibernate.ConnectionReleaseMode;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.resource.jdbc.spi.LogicalConnectionImplementor;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.DelegatingTransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionDefinition;

/**
 * Spring's Hibernate dialect, applying a transaction's isolation level itself when Hibernate gives its connection back
 * after each transaction (Spring's refuses any isolation level unless the session holds its connection until it
 * closes, which would pin an open-in-view request to the node of its first transaction), and reporting a write
 * refused in a read-only scope as {@link io.github.replicarouting.WriteInReadOnlyScopeException}.
 */
@SuppressWarnings("serial")
class RoutingHibernateJpaDialect extends HibernateJpaDialect {

	@Override
	public Object beginTransaction(EntityManager entityManager, TransactionDefinition definition)
			throws PersistenceException, SQLException, TransactionException {
		if (definition.getIsolationLevel() == TransactionDefinition.ISOLATION_DEFAULT) {
			return super.beginTransaction(entityManager, definition);
		}
		LogicalConnectionImplementor logicalConnection = entityManager.unwrap(SessionImplementor.class)
			.getJdbcCoordinator()
			.getLogicalConnection();
		if (logicalConnection.getConnectionHandlingMode().getReleaseMode() == ConnectionReleaseMode.ON_CLOSE) {
			return super.beginTransaction(entityManager, definition);
		}
		// Taken as the transaction begins (so routed as it is), and given back by Hibernate when it ends, so the
		// session's next transaction chooses its node again. The pool resets what is set here when it gets it back.
		Connection connection = logicalConnection.getPhysicalConnection();
		Integer previousIsolation = DataSourceUtils.prepareConnectionForTransaction(connection, definition);
		Object sessionData = super.beginTransaction(entityManager, new DefaultIsolation(definition));
		return new IsolatedTransaction(sessionData, logicalConnection, connection, previousIsolation,
				definition.isReadOnly());
	}

	@Override
	public void cleanupTransaction(@Nullable Object transactionData) {
		if (transactionData instanceof IsolatedTransaction isolated) {
			isolated.resetConnection();
			super.cleanupTransaction(isolated.sessionData());
			return;
		}
		super.cleanupTransaction(transactionData);
	}

	@Override
	public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		DataAccessException readOnlyViolation = ReadOnlyViolations.translateInReadOnlyScope(ex);
		return (readOnlyViolation != null) ? readOnlyViolation : super.translateExceptionIfPossible(ex);
	}

	/**
	 * The transaction as Spring's dialect gets it: its isolation level is taken care of.
	 */
	private static final class DefaultIsolation extends DelegatingTransactionDefinition
			implements ResourceTransactionDefinition {

		private final boolean localResource;

		DefaultIsolation(TransactionDefinition definition) {
			super(definition);
			this.localResource = (definition instanceof ResourceTransactionDefinition resource)
					&& resource.isLocalResource();
		}

		@Override
		public int getIsolationLevel() {
			return ISOLATION_DEFAULT;
		}

		@Override
		public boolean isLocalResource() {
			return this.localResource;
		}

	}

	private record IsolatedTransaction(Object sessionData, LogicalConnectionImplementor logicalConnection,
			Connection connection, @Nullable Integer previousIsolation, boolean readOnly) {

		void resetConnection() {
			// Normally Hibernate has already given the connection back; only a connection still held is reset here.
			if (this.logicalConnection.isOpen() && this.logicalConnection.isPhysicallyConnected()
					&& this.logicalConnection.getPhysicalConnection() == this.connection) {
				DataSourceUtils.resetConnectionAfterTransaction(this.connection, this.previousIsolation,
						this.readOnly);
			}
		}

	}

}
