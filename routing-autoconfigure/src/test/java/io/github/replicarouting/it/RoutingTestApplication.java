package io.github.replicarouting.it;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small JPA application used by the routing integration tests.
 */
@SpringBootApplication
class RoutingTestApplication {

}
