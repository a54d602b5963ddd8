package io.p2pdl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code p2pdl --version}: the Maven version the CLI jar was built as. */
public final class CliVersion implements IVersionProvider {

    private static final String POM_PROPERTIES = "/META-INF/maven/io.p2pdl/p2pdl-cli/pom.properties";

    @Override
    public String[] getVersion() {
        Properties properties = new Properties();
        try (InputStream in = CliVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": --version must never fail
        }
        return new String[] {"p2pdl " + properties.getProperty("version", "(development build)")};
    }
}
