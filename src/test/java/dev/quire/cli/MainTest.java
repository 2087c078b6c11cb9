package dev.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** Output and exit code of one run of the {@code quire} command. */
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsTheTraceAndUpdateSubcommands() {
        Run run = run("--help");

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

        Run run = run("--version");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("quire " + pomVersion, run.out().strip());
    }

    @Test
    void noArgumentsSaysTheAppIsNotBuiltYetAndShowsUsage() {
        Run run = run();

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith(Main.APP_NOT_BUILT + System.lineSeparator()), run.out());
        assertTrue(run.out().contains("Usage: quire"), run.out());
    }

    @Test
    void updateApplyDocumentsItsOptions() {
        Run run = run("update", "apply", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--text=NAME"), run.out());
        assertTrue(run.out().contains("--out=FILE"), run.out());
        assertTrue(run.out().contains("FILE..."), run.out());
    }

    @Test
    void traceDocumentsItsOptions() {
        Run run = run("trace", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--out=state.bin"), run.out());
        assertTrue(run.out().contains("--repeat=N"), run.out());
        assertTrue(run.out().contains("FILE"), run.out());
    }
}
