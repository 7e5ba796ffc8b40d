package io.github.replicarouting.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM users import: on the build's version, managing exactly our published artifacts and nothing of Spring
 * Boot's (it has no parent, so the application's own Boot version decides Boot's).
 */
class RoutingBomTests {

	private final Path root = Path.of(System.getProperty("user.dir")).getParent();

	private final Document bom = parse(this.root.resolve("routing-bom/pom.xml"));

	private final Document parent = parse(this.root.resolve("pom.xml"));

	@Test
	void isOnTheBuildsVersion() {
		assertThat(child(this.bom.getDocumentElement(), "version"))
			.isEqualTo(child(this.parent.getDocumentElement(), "version"));
	}

	@Test
	void managesOurPublishedArtifactsOnly() {
		assertThat(this.bom.getElementsByTagName("parent").getLength()).isZero();
		List<String> managed = new ArrayList<>();
		NodeList dependencies = this.bom.getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			assertThat(child(dependency, "groupId")).isEqualTo("io.github.replicarouting");
			assertThat(child(dependency, "version")).isEqualTo("${project.version}");
			managed.add(child(dependency, "artifactId"));
		}
		assertThat(managed).containsExactlyInAnyOrder("routing-starter", "routing-autoconfigure", "routing-gtid",
				"routing-test");
	}

	private static String child(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().trim();
			}
		}
		throw new AssertionError("<" + name + "> missing in <" + element.getTagName() + ">");
	}

	private static Document parse(Path pom) {
		try {
			return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read " + pom, ex);
		}
	}

}
