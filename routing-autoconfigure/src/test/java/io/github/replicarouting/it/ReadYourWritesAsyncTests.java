package io.github.replicarouting.it;

import java.util.concurrent.TimeUnit;

import io.github.replicarouting.Routing;
import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.it.AsyncReads.Seen;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Async} methods see the caller's route and read-your-writes token; the next task on the same pooled thread
 * sees neither.
 */
@SpringBootTest(classes = RoutingTestApplication.class)
@WithReplicationCluster
class ReadYourWritesAsyncTests {

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	AsyncReads async;

	@Autowired
	ServerIds serverIds;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
		registry.add("routing.datasource.read-your-writes", () -> "sticky");
		// One pooled thread: every task runs on the same thread as the one before.
		registry.add("spring.task.execution.pool.core-size", () -> "1");
		registry.add("spring.task.execution.pool.max-size", () -> "1");
	}

	@Test
	void asyncReadAfterWriteSeesTheWrite() throws Exception {
		String name = "async-" + System.nanoTime();
		try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
			this.serverIds.insertReturningServerId(name);
			Seen seen = this.async.read(name).get(10, TimeUnit.SECONDS);
			assertThat(seen.hadToken()).isTrue();
			assertThat(seen.found()).isTrue();
			assertThat(seen.serverId()).isEqualTo(cluster.primary().serverId());
		}
		// This thread's own scope holds the writes it made outside any scope (schema initialization at start-up, on
		// this thread): forget them, so that a token in the next task could only be left over from the last one.
		ConsistencyContext.clear();
		Seen next = this.async.plain().get(10, TimeUnit.SECONDS);
		assertThat(next.hadToken()).isFalse();
	}

	@Test
	void asyncTaskFollowsTheCallersRouteAndLeavesNothingBehind() throws Exception {
		Seen onReplica = Routing.onReplica(() -> this.async.plain().join());
		assertThat(onReplica.hadRoute()).isTrue();
		assertThat(cluster.node(cluster.nodeName(onReplica.serverId())).replica()).isTrue();
		Seen next = this.async.plain().get(10, TimeUnit.SECONDS);
		assertThat(next.hadRoute()).isFalse();
		assertThat(next.serverId()).isEqualTo(cluster.primary().serverId());
	}

}
