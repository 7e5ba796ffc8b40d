package io.github.replicarouting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method, or every method of the annotated type, on a read replica.
 *
 * <p>The route is chosen when the method's first connection is taken, so it applies to the transaction the method
 * starts (put {@code @ReadOnly} next to {@code @Transactional}) and to statements it runs without one. A method that
 * joins a transaction already running on the primary stays there: routing never switches inside a transaction. Writes
 * inside the method fail with {@link WriteInReadOnlyScopeException}; replica connections are read-only at session level.
 *
 * <pre class="code">
 * &#064;ReadOnly
 * &#064;Transactional
 * public List&lt;Event&gt; upcomingEvents() { ... }
 * </pre>
 *
 * <p>A method-level annotation wins over a type-level one; {@link UsePrimary} wins over {@code @ReadOnly} when both are
 * present at the same level.
 *
 * @since 0.1.0
 * @see UsePrimary
 * @see Routing#onReplica(java.util.function.Supplier)
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface ReadOnly {

}
