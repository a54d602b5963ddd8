package io.p2pdl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code p2pdl --version}: the Maven version the CLI jar was built as (written into a filtered resource). */
public final class CliVersion implements IVersionProvider {

    private static final String VERSION_FILE = "/p2pdl-version.properties";

    @Override
    public String[] getVersion() {
        Properties properties = new Properties();
        try (InputStream in = CliVersion.class.getResourceAsStream(VERSION_FILE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": --version must never fail
        }
        return new String[] {"p2pdl " + properties.getProperty("version", "(development build)")};
    }
}
