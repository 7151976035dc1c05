package io.warden.common.config;

/**
 * A configuration value that is missing or wrong. The message is one line, names the variable and says
 * what was expected; {@code main} prints it and exits, with no stack trace.
 */
public final class ConfigException extends RuntimeException {

    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
