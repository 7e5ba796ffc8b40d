/**
 * An embedded MariaDB replication cluster (a primary, standby primaries and GTID replicas) started on loopback for
 * tests, without Docker.
 */
@NullMarked
package io.github.replicarouting.test;

import org.jspecify.annotations.NullMarked;
