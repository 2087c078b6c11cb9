package dev.quire.cli;

import dev.quire.server.Version;
import picocli.CommandLine.IVersionProvider;

/** Reports the Maven project version (see {@link Version}). */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"quire " + version()};
    }

    static String version() {
        return Version.current();
    }
}
