package io.github.replicarouting.sample.ticketing;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Puts a few events on sale when the application starts with an empty database, so there is something to list.
 *
 * @since 0.1.0
 */
@Component
public class SampleData implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(SampleData.class);

	private final EventService eventService;

	public SampleData(EventService eventService) {
		this.eventService = eventService;
	}

	@Override
	public void run(ApplicationArguments args) {
		LocalDate today = LocalDate.now();
		LocalTime evening = LocalTime.of(20, 0);
		List<NewEvent> events = List.of(
				new NewEvent("The Replicas: Farewell Tour", "Royal Albert Hall, London",
						LocalDateTime.of(today.plusDays(14), evening), 500),
				new NewEvent("Swan Lake", "Palais Garnier, Paris", LocalDateTime.of(today.plusDays(30), evening), 200),
				new NewEvent("Jazz at the Primary", "Blue Note, New York",
						LocalDateTime.of(today.plusDays(45), LocalTime.of(21, 30)), 120),
				new NewEvent("Cup Final", "Wembley Stadium, London",
						LocalDateTime.of(today.plusDays(60), LocalTime.of(15, 0)), 2));
		int saved = this.eventService.seedIfEmpty(events);
		if (saved > 0) {
			logger.info("Put " + saved + " sample events on sale");
		}
	}

}
