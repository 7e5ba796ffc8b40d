package io.github.replicarouting.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The one test configuration of the sample's integration tests: the application on a random port, on the embedded
 * cluster its {@code EmbeddedClusterEnvironmentPostProcessor} starts. Every class uses exactly this, so the test
 * framework caches one context, and one cluster runs per test JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@interface SampleAppTest {

}
