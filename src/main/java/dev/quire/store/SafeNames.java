package dev.quire.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * File names made from strings that come from elsewhere (a server URL, a user id, a document id): only {@code
 * [a-z0-9._-]}, never starting with a dot, bounded in length, plus a hash of the original so that two strings that
 * clean up alike still get different names. No separator, no "..", no reserved device name survives.
 */
final class SafeNames {
    private static final int MAX_PART = 40;

    private SafeNames() {
    }

    /** The characters a safe name keeps (lower case, as {@link #clean} lowers first). */
    private static boolean kept(int ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    }

    /** Whether {@code s} is made only of what {@link #clean} keeps (any length), and does not start with a dot. */
    static boolean isClean(String s) {
        return !s.isEmpty() && s.charAt(0) != '.' && s.chars().allMatch(SafeNames::kept);
    }

    /** A readable, safe prefix of {@code s} (possibly empty). */
    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toLowerCase(Locale.ROOT).toCharArray()) {
            if (b.length() == MAX_PART) {
                break;
            }
            b.append(kept(ch) ? ch : '_');
        }
        int start = 0;
        while (start < b.length() && b.charAt(start) == '.') {
            start++;
        }
        return b.substring(start);
    }

    /** The first 16 hex digits of SHA-256 of the parts, joined by NUL (which no part can contain unnoticed). */
    static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    sha.update((byte) 0);
                }
                sha.update(parts[i].getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A file name (without extension) for a document id. */
    static String fileName(String id) {
        String clean = clean(id);
        return (clean.isEmpty() ? "doc" : clean) + "-" + hash(id);
    }
}
