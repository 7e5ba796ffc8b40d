package io.github.replicarouting.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.replicarouting.consistency.ReadYourWritesMode;
import io.github.replicarouting.routing.LoadBalancing;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE help generated for {@code routing.datasource.*}: every property listed with a description, deprecated ones
 * naming their replacement, value hints for the named choices, the hand-written additions merged.
 * {@link PackagedConfigurationMetadataIT} runs the same checks on the metadata inside the packaged jar.
 */
class ConfigurationMetadataTests {

	private final Object metadata = metadata();

	/**
	 * The merged metadata to check: here the one the build wrote to the classpath.
	 */
	Object metadata() {
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return parse(input);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void everyBoundPropertyIsListed() {
		List<String> bound = boundNames("routing.datasource", RoutingDataSourceProperties.class);
		assertThat(bound).contains("routing.datasource.replicas", "routing.datasource.primary.url",
				"routing.datasource.consistency-token.secret");
		List<String> names = JsonPath.read(this.metadata, "$.properties[*].name");
		assertThat(names).containsAll(bound);
	}

	@Test
	void deprecatedPropertiesNameAnExistingReplacement() {
		List<String> names = JsonPath.read(this.metadata, "$.properties[*].name");
		List<Map<String, Object>> deprecated = JsonPath.read(this.metadata,
				"$.properties[?(@.deprecated == true || @.deprecation)]");
		assertThat(deprecated).allSatisfy((property) -> {
			Object replacement = JsonPath.read(property, "$.deprecation.replacement");
			assertThat(replacement).as("replacement of %s", property.get("name")).isIn(names);
		});
	}

	@Test
	void handWrittenMetadataIsMerged() {
		List<Map<String, Object>> health = JsonPath.read(this.metadata,
				"$.properties[?(@.name == 'management.health.routing.enabled')]");
		assertThat(health).singleElement()
			.satisfies((property) -> assertThat(property).containsEntry("type", "java.lang.Boolean")
				.containsEntry("defaultValue", true));
		assertThat(hintValues("routing.datasource.hikari.keys")).contains("maximum-pool-size", "connection-init-sql");
		assertThat(hintValues("routing.datasource.primary.hikari.keys"))
			.containsExactlyElementsOf(hintValues("routing.datasource.hikari.keys"));
	}

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

	static Object parse(InputStream input) {
		return JsonPath.parse(input).json();
	}

	/**
	 * The keys Boot binds for a properties class: its nested types (declared in the properties class) are groups,
	 * everything else, maps included, is one key.
	 */
	private static List<String> boundNames(String prefix, Class<?> type) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + kebab(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (propertyType.getDeclaringClass() == RoutingDataSourceProperties.class) {
				names.addAll(boundNames(name, propertyType));
			}
			else if (descriptor.getWriteMethod() != null) {
				names.add(name);
			}
		}
		return names;
	}

	private static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
