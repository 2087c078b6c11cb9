package dev.quire.cli;

import java.io.BufferedReader;
import java.io.IOException;

/** A password from the terminal (not echoed) or, piped in, from the first line of stdin; never an argument. */
final class StdinPassword {
    private StdinPassword() {
    }

    /** Reads one line from {@code in} unless a terminal is attached (then it asks without echo). */
    static char[] read(BufferedReader in) throws IOException {
        if (System.console() != null) {
            char[] p = System.console().readPassword("password: ");
            return p == null ? new char[0] : p;
        }
        String line = in.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }
}
