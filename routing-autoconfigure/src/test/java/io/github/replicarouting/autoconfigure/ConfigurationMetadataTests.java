package io.github.replicarouting.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.routing.LoadBalancing;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE help generated for {@code routing.datasource.*}: a description for every property, value hints for the
 * named choices.
 */
class ConfigurationMetadataTests {

	private final Object metadata = read("META-INF/spring-configuration-metadata.json");

	@Test
	void everyPropertyIsDescribed() {
		List<Map<String, Object>> properties = JsonPath.read(this.metadata, "$.properties[*]");
		assertThat(properties).filteredOn((property) -> property.get("sourceType") != null
				|| property.get("name").toString().startsWith("routing."))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat(property.get("description")).as("%s", property.get("name"))
				.asString()
				.isNotBlank());
	}

	@Test
	void loadBalancingNamesAreHinted() {
		assertThat(hintValues("routing.datasource.load-balancing"))
			.containsExactlyElementsOf(Arrays.stream(LoadBalancing.values()).map(ConfigurationMetadataTests::kebab).toList());
	}

	@Test
	void readYourWritesModesAreHinted() {
		assertThat(hintValues("routing.datasource.read-your-writes")).containsExactlyElementsOf(
				Arrays.stream(ReadYourWritesMode.values()).map(ConfigurationMetadataTests::kebab).toList());
	}

	@Test
	void defaultsThatAreExpressionsAreStated() {
		List<Object> order = JsonPath.read(this.metadata,
				"$.properties[?(@.name == 'routing.datasource.interceptor-order')].defaultValue");
		assertThat(order).containsExactly(Integer.MAX_VALUE - 100);
	}

	@Test
	void renamedKeysAreDeprecatedWithTheirReplacement() {
		assertThat(replacementOf("routing.datasource.lag-check-interval")).containsExactly(
				"routing.datasource.check-interval");
		assertThat(replacementOf("routing.datasource.failover-timeout")).containsExactly(
				"routing.datasource.node-timeout");
		List<Object> checkInterval = JsonPath.read(this.metadata,
				"$.properties[?(@.name == 'routing.datasource.check-interval')].defaultValue");
		assertThat(checkInterval).containsExactly("1s");
	}

	private List<String> replacementOf(String name) {
		return JsonPath.read(this.metadata, "$.properties[?(@.name == '" + name + "')].deprecation.replacement");
	}

	private List<String> hintValues(String name) {
		return JsonPath.read(this.metadata, "$.hints[?(@.name == '" + name + "')].values[*].value");
	}

	private static String kebab(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static Object read(String location) {
		try (InputStream input = new ClassPathResource(location).getInputStream()) {
			return JsonPath.parse(input).json();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
