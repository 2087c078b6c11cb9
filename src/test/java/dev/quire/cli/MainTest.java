package dev.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheTraceAndUpdateSubcommands() {
        CliRun run = run("--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Usage: quire"), run.out());
        assertTrue(run.out().contains("trace "), run.out());
        assertTrue(run.out().contains("update "), run.out());
    }

    @Test
    void versionPrintsTheMavenProjectVersion() {
        // Set by surefire from ${project.version} (pom.xml), so this checks resource filtering end to end.
        String pomVersion = System.getProperty("quire.version");
        assertNotNull(pomVersion, "run this test through Maven, which sets -Dquire.version");

        CliRun run = run("--version");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("quire " + pomVersion, run.out().strip());
    }

    @Test
    void noArgumentsOpenTheAppWithTheDataFolderGiven() {
        java.util.List<java.nio.file.Path> launched = new java.util.ArrayList<>();
        Main.AppLauncher real = Main.launcher;
        Main.launcher = (data, server, target) -> launched.add(data);
        try {
            if (Main.displayAvailable(System.getenv(), System.getProperty("os.name", ""))) {
                assertEquals(0, run("--data", "some/dir").exitCode());
                assertEquals(java.util.List.of(java.nio.file.Path.of("some/dir")), launched);
            } else {
                CliRun run = run();
                assertEquals(1, run.exitCode());
                assertTrue(run.err().startsWith(Main.NO_DISPLAY), run.err());
                assertTrue(run.err().contains("Usage: quire"), run.err());
                assertTrue(launched.isEmpty());
            }
        } finally {
            Main.launcher = real;
        }
    }

    /** What the desktop passes when a link or file is opened with Quire (issue 8); a typo is not opened as a file. */
    @Test
    void aLinkOrAnExistingFileIsHandedToTheAppAndAnythingElseIsRefused(@org.junit.jupiter.api.io.TempDir
                                                                           java.nio.file.Path dir) throws Exception {
        java.util.List<String> targets = new java.util.ArrayList<>();
        Main.AppLauncher real = Main.launcher;
        Main.launcher = (data, server, target) -> targets.add(target);
        String force = System.setProperty("quire.forceDisplay", "true"); // the launcher above opens no window
        try {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("notes.yjs"), "x");
            String link = "quire://open?server=https%3A%2F%2Fq.example.org&doc=d1";
            assertEquals(0, run(link).exitCode());
            assertEquals(0, run(file.toString()).exitCode());
            assertEquals(java.util.List.of(link, file.toAbsolutePath().toString()), targets);
            CliRun typo = run("sever");
            assertEquals(2, typo.exitCode());
            assertTrue(typo.err().startsWith("quire: no such command or file: sever"), typo.err());
            assertEquals(2, targets.size(), "the app was not started for it");
        } finally {
            Main.launcher = real;
            if (force == null) {
                System.clearProperty("quire.forceDisplay");
            } else {
                System.setProperty("quire.forceDisplay", force);
            }
        }
    }

    /** A plain app start skips picocli's command tree; everything else still goes through it. */
    @Test
    void thePlainAppArgumentsAreReadWithoutTheCommandTree(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("n.md"), "x");
        assertEquals(java.util.Optional.of(new Main.AppArgs(null, null, null)), Main.appArgs(new String[0]));
        assertEquals(java.util.Optional.of(new Main.AppArgs(java.nio.file.Path.of("d"), "http://s", file.toString())),
                Main.appArgs(new String[] {"--data", "d", "--server=http://s", file.toString()}));
        assertEquals(java.util.Optional.of(new Main.AppArgs(java.nio.file.Path.of("d"), null, "quire://open?x")),
                Main.appArgs(new String[] {"--data=d", "quire://open?x"}));
        for (String[] other : new String[][] {{"server"}, {"--help"}, {"--version"}, {"--data"}, {"no-such-file"},
                {"--data", "d", "bench", "ui"}, {file.toString(), file.toString()}}) {
            assertTrue(Main.appArgs(other).isEmpty(), String.join(" ", other));
        }
    }

    @Test
    void aDisplayIsThereOnWindowsAndMacAndWhenLinuxNamesOne() {
        assertTrue(Main.displayAvailable(java.util.Map.of(), "Windows 11"));
        assertTrue(Main.displayAvailable(java.util.Map.of(), "Mac OS X"));
        assertTrue(Main.displayAvailable(java.util.Map.of("DISPLAY", ":0"), "Linux"));
        assertTrue(Main.displayAvailable(java.util.Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux"));
        assertEquals(Boolean.getBoolean("quire.forceDisplay"), Main.displayAvailable(java.util.Map.of(), "Linux"));
    }

    @Test
    void updateApplyDocumentsItsOptions() {
        CliRun run = run("update", "apply", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--text=NAME"), run.out());
        assertTrue(run.out().contains("--out=FILE"), run.out());
        assertTrue(run.out().contains("FILE..."), run.out());
    }

    @Test
    void traceDocumentsItsOptions() {
        CliRun run = run("trace", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--out=state.bin"), run.out());
        assertTrue(run.out().contains("--repeat=N"), run.out());
        assertTrue(run.out().contains("FILE"), run.out());
    }

    @Test
    void aServerThatCannotStartSaysWhyInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliRun run = CliRun.of("server", "--dev", "--host", "0.0.0.0", "--data", dir.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("quire: --dev refuses to listen on 0.0.0.0"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }
}
