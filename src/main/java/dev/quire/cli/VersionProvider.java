package dev.quire.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reports the Maven project version, which the build writes into {@code dev/quire/version.properties}. */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "/dev/quire/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"quire " + version()};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown (" + RESOURCE + " is missing; build with Maven)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
