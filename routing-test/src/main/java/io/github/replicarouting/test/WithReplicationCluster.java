package io.github.replicarouting.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against the shared embedded {@link ReplicationCluster}.
 *
 * <pre class="code">
 * &#064;WithReplicationCluster
 * class MyTests {
 *     &#064;Test
 *     void reads(ReplicationCluster cluster) { ... }
 * }
 * </pre>
 *
 * @since 0.1.0
 * @see ReplicationClusterExtension
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ReplicationClusterExtension.class)
public @interface WithReplicationCluster {

}
