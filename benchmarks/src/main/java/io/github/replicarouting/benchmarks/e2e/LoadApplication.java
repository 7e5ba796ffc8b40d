package io.github.replicarouting.benchmarks.e2e;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The end-to-end application: Spring Boot with JPA, the routing starter (or a single pool when routing is disabled)
 * and {@link AccountService}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
		"com.baomidou.dynamic.datasource.spring.boot.autoconfigure.DynamicDataSourceAutoConfiguration",
		"com.baomidou.dynamic.datasource.spring.boot.autoconfigure.DynamicDataSourcePoolMetricsAutoConfiguration" })
@EntityScan(basePackageClasses = Account.class)
@EnableJpaRepositories(basePackageClasses = AccountRepository.class)
public class LoadApplication {

	@Bean
	AccountService accountService(AccountRepository accounts) {
		return new AccountService(accounts);
	}

}
