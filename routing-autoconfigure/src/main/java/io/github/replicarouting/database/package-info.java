/**
 * The database seam: one {@link io.github.replicarouting.database.DatabaseFlavour} per kind of server (MariaDB, MySQL,
 * any other JDBC database), which owns every statement, driver setting, position format and error code that differs
 * between them.
 */
@NullMarked
package io.github.replicarouting.database;

import org.jspecify.annotations.NullMarked;
