/**
 * The HTTP API, and the {@code X-Routing-Reads} / {@code X-Routing-Nodes} response headers that show which database
 * nodes served each request.
 */
@NullMarked
package io.github.replicarouting.sample.web;

import org.jspecify.annotations.NullMarked;
