package dev.quire.cli;

import picocli.CommandLine.Command;

/** {@code quire update}: groups the commands that work on Yjs update files. It has no action of its own. */
@Command(
        name = "update",
        description = "Work with Yjs update files.",
        subcommands = UpdateApplyCommand.class)
final class UpdateCommand {}
