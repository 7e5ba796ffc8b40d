package io.github.replicarouting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method, or every method of the annotated type, on the primary, even for reads: use it where a
 * read must see the latest committed data, for example right after a write made by another request.
 *
 * <p>It also applies inside a {@link ReadOnly} flow that has no transaction yet; a transaction that is already running
 * on a replica keeps its connection (start a new one with {@code Propagation.REQUIRES_NEW} to leave it).
 *
 * @since 0.1.0
 * @see ReadOnly
 * @see Routing#onPrimary(java.util.function.Supplier)
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface UsePrimary {

}
