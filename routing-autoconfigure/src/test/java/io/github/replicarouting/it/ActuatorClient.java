package io.github.replicarouting.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.jayway.jsonpath.JsonPath;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTP to the actuator of an application a test started on a random port: what an operator's {@code curl} does.
 */
final class ActuatorClient {

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	ActuatorClient(ConfigurableApplicationContext context) {
		this.baseUrl = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
	}

	Response get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).build());
	}

	Response post(String path, String json) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	Response delete(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).DELETE().build());
	}

	private Response send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.body());
	}

	record Response(int status, String body) {

		<T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

		<T> T read(String path, Class<T> type) {
			return JsonPath.parse(this.body).read(path, type);
		}

	}

}
