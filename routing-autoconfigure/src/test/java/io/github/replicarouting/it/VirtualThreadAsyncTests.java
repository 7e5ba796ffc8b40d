package io.github.replicarouting.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.replicarouting.Routing;
import io.github.replicarouting.consistency.ConsistencyContext;
import io.github.replicarouting.it.AsyncReads.Seen;
import io.github.replicarouting.routing.RoutingContext;
import io.github.replicarouting.test.ReplicationCluster;
import io.github.replicarouting.test.WithReplicationCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true} Boot's {@code @Async} executor starts a virtual thread per task:
 * each task sees its own caller's route and read-your-writes token, never another task's, even while they all run at
 * once on the same carrier threads.
 */
@SpringBootTest(classes = RoutingTestApplication.class, properties = "spring.threads.virtual.enabled=true")
@WithReplicationCluster
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadAsyncTests {

	private static final int TASKS_PER_KIND = 4;

	static final ReplicationCluster cluster = TestCluster.get();

	@Autowired
	AsyncReads async;

	@Autowired
	ServerIds serverIds;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		TestCluster.register(registry, "mariadb");
		registry.add("routing.datasource.read-your-writes", () -> "sticky");
	}

	@Test
	void asyncReadAfterWriteOnAVirtualThreadSeesTheWrite() throws Exception {
		String name = "virtual-" + System.nanoTime();
		try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
			this.serverIds.insertReturningServerId(name);
			Seen seen = this.async.read(name).get(10, TimeUnit.SECONDS);
			assertThat(seen.virtualThread()).isTrue();
			assertThat(seen.hadToken()).isTrue();
			assertThat(seen.found()).isTrue();
			assertThat(seen.serverId()).isEqualTo(cluster.primary().serverId());
		}
	}

	@Test
	void concurrentTasksSeeOnlyTheirOwnCallersRouteAndToken() throws Exception {
		// Writes made on this thread outside any scope (schema initialization) would give plain tasks a token.
		ConsistencyContext.clear();
		CountDownLatch started = new CountDownLatch(3 * TASKS_PER_KIND);
		List<CompletableFuture<Seen>> onReplica = new ArrayList<>();
		List<CompletableFuture<Seen>> afterWrite = new ArrayList<>();
		List<CompletableFuture<Seen>> plain = new ArrayList<>();
		for (int i = 0; i < TASKS_PER_KIND; i++) {
			onReplica.add(Routing.onReplica(() -> uncheckedPlainOnceAllStarted(started)));
			try (ConsistencyContext.Handle scope = ConsistencyContext.open(null, null)) {
				this.serverIds.insertReturningServerId("virtual-" + System.nanoTime());
				afterWrite.add(this.async.plainOnceAllStarted(started));
			}
			plain.add(this.async.plainOnceAllStarted(started));
		}
		for (CompletableFuture<Seen> task : onReplica) {
			Seen seen = task.get(60, TimeUnit.SECONDS);
			assertThat(seen.virtualThread()).isTrue();
			assertThat(seen.hadRoute()).isTrue();
			assertThat(seen.hadToken()).isFalse();
			assertThat(cluster.node(cluster.nodeName(seen.serverId())).replica()).isTrue();
		}
		for (CompletableFuture<Seen> task : afterWrite) {
			Seen seen = task.get(60, TimeUnit.SECONDS);
			assertThat(seen.virtualThread()).isTrue();
			assertThat(seen.hadRoute()).isFalse();
			assertThat(seen.hadToken()).isTrue();
			// Sticky read-your-writes: the token keeps this task's reads on the primary.
			assertThat(seen.serverId()).isEqualTo(cluster.primary().serverId());
		}
		for (CompletableFuture<Seen> task : plain) {
			Seen seen = task.get(60, TimeUnit.SECONDS);
			assertThat(seen.virtualThread()).isTrue();
			assertThat(seen.hadRoute()).isFalse();
			assertThat(seen.hadToken()).isFalse();
			assertThat(seen.serverId()).isEqualTo(cluster.primary().serverId());
		}
		assertThat(RoutingContext.currentRoute()).isNull();
	}

	private CompletableFuture<Seen> uncheckedPlainOnceAllStarted(CountDownLatch started) {
		try {
			return this.async.plainOnceAllStarted(started);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
