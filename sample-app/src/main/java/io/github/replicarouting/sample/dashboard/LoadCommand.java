package io.github.replicarouting.sample.dashboard;

import java.time.Duration;
import java.util.List;

import io.github.replicarouting.sample.embedded.EmbeddedClusterEnvironmentPostProcessor;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code --load=SECONDS} (and optionally {@code --threads=N}): once the application is up, run a mixed workload and
 * print where it ran, per node. The application keeps running, so the page shows the result too. Only with the
 * {@value EmbeddedClusterEnvironmentPostProcessor#PROFILE} profile (the embedded cluster).
 *
 * @since 0.1.0
 */
@Component
@Profile(EmbeddedClusterEnvironmentPostProcessor.PROFILE)
public class LoadCommand implements ApplicationRunner {

	private final TrafficGenerator traffic;

	public LoadCommand(TrafficGenerator traffic) {
		this.traffic = traffic;
	}

	@Override
	public void run(ApplicationArguments args) {
		List<String> seconds = args.getOptionValues("load");
		if (seconds == null || seconds.isEmpty()) {
			return;
		}
		List<String> threads = args.getOptionValues("threads");
		TrafficGenerator.Summary summary = this.traffic.mixed(Duration.ofSeconds(Long.parseLong(seconds.get(0))),
				(threads != null && !threads.isEmpty()) ? Integer.parseInt(threads.get(0)) : 4);
		System.out.println(summary.describe());
	}

}
