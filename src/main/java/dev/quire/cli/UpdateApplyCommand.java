package dev.quire.cli;

import dev.quire.crdt.Doc;
import dev.quire.crdt.UpdateFormatException;
import dev.quire.crdt.Updates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quire update apply FILE...}: merges update files into a fresh document and prints one text root. */
@Command(
        name = "apply",
        description =
                "Apply Yjs v1 update files in order to a fresh document; print the text of root type NAME"
                        + " (default content).")
final class UpdateApplyCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Yjs v1 update files, applied in this order.")
    List<Path> files;

    @Option(
            names = "--text",
            paramLabel = "NAME",
            defaultValue = "content",
            description = "Root text type to print (default: ${DEFAULT-VALUE}).")
    String text;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Also write the resulting document state, encoded as one Yjs v1 update, to this file.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Doc doc = new Doc();
        for (Path f : files) {
            try {
                Updates.applyUpdate(doc, Files.readAllBytes(f));
            } catch (UpdateFormatException e) {
                spec.commandLine().getErr().println("quire: " + f + " is not a valid Yjs v1 update: " + e.getMessage());
                return 2;
            }
        }
        // exactly the text, nothing else: scripts compare it byte for byte
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(doc.getText(text).toString());
        stdout.flush();
        if (out != null) {
            Files.write(out, Updates.encodeStateAsUpdate(doc));
        }
        return 0;
    }
}
