package io.github.replicarouting.it;

import io.github.replicarouting.it.Isolations.ServerAndIsolation;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.replicarouting.it.RoutingRulesTests.assertPrimary;
import static io.github.replicarouting.it.RoutingRulesTests.assertReplica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Transactional(isolation = ...)} under JPA: the transaction gets its isolation level (asked of the server) and
 * still runs where the routing rules send it. Run once per JDBC driver by the subclasses.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
abstract class IsolationLevelTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	Isolations isolations;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void readWriteTransactionWithIsolationRunsOnThePrimaryAtThatLevel() {
		ServerAndIsolation answer = this.isolations.readWriteSerializable();
		assertPrimary(answer.serverId());
		assertThat(answer.isolation()).isEqualTo("SERIALIZABLE");
	}

	@Test
	void writeWithIsolationCommitsOnThePrimary() {
		String name = "isolation-" + System.nanoTime();
		ServerAndIsolation answer = this.isolations.saveReadCommitted(name);
		assertPrimary(answer.serverId());
		assertThat(answer.isolation()).isEqualTo("READ-COMMITTED");
		assertThat(TestCluster.count(cluster, ReplicationCluster.PRIMARY, "item", "name = '" + name + "'")).isOne();
	}

	@Test
	void readOnlyTransactionWithIsolationRunsOnAReplicaAtThatLevel() {
		for (int i = 0; i < 4; i++) {
			ServerAndIsolation throughJpa = this.isolations.readOnlyReadCommitted();
			assertReplica(throughJpa.serverId());
			assertThat(throughJpa.isolation()).isEqualTo("READ-COMMITTED");
			ServerAndIsolation throughJdbc = this.isolations.readOnlyReadCommittedThroughJdbc();
			assertReplica(throughJdbc.serverId());
			assertThat(throughJdbc.isolation()).isEqualTo("READ-COMMITTED");
			assertThat(throughJdbc.sessionReadOnly()).as("replica session still read-only").isTrue();
		}
	}

	@Test
	void programmaticReadOnlyTransactionWithIsolationRunsOnAReplicaAtThatLevel() {
		TransactionTemplate template = new TransactionTemplate(this.transactionManager);
		template.setReadOnly(true);
		template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_UNCOMMITTED);
		ServerAndIsolation answer = template.execute((status) -> this.isolations.throughJpa());
		assertReplica(answer.serverId());
		assertThat(answer.isolation()).isEqualTo("READ-UNCOMMITTED");
	}

	@Test
	void isolationDoesNotOutliveItsTransaction() {
		// Every pooled connection has served a transaction with another level by now.
		for (int i = 0; i < 8; i++) {
			this.isolations.readOnlyReadCommitted();
			this.isolations.readWriteSerializable();
		}
		for (int i = 0; i < 8; i++) {
			assertThat(this.isolations.readOnlyDefault().isolation()).isEqualTo("REPEATABLE-READ");
			assertThat(this.isolations.throughJpa().isolation()).isEqualTo("REPEATABLE-READ");
		}
	}

}
