package io.github.replicarouting.autoconfigure;

/**
 * Thrown at startup when {@code routing.datasource.*} cannot describe a working topology. Reported by
 * {@link RoutingConfigurationFailureAnalyzer}.
 *
 * @since 0.1.0
 */
public class RoutingConfigurationException extends RuntimeException {

	private final String action;

	/**
	 * Create an exception.
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	public RoutingConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * What the user should do to fix the configuration.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
