package dev.quire.bench;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Does the cost of an edit grow with the document? Builds documents of several sizes by typing short runs at
 * random places (so they are fragmented like real documents), then times single-character edits at random
 * positions. bench/yjs-scaling.mjs runs the identical edit sequence (same PRNG) in Yjs; both print the same
 * JSON lines, including the final update size, which must agree.
 */
public final class ScalingWorkload {
    private ScalingWorkload() {
    }

    /** mulberry32: a tiny PRNG that JavaScript reproduces exactly. */
    static final class Mulberry32 {
        private int a;

        Mulberry32(int seed) {
            a = seed;
        }

        double next() {
            a += 0x6D2B79F5;
            int t = a;
            t = (t ^ (t >>> 15)) * (t | 1);
            t ^= t + (t ^ (t >>> 7)) * (t | 61);
            return ((t ^ (t >>> 14)) & 0xFFFFFFFFL) / 4294967296.0;
        }

        int below(int n) {
            return (int) Math.floor(next() * n);
        }
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz     \n";

    public record Result(int size, int items, double buildMs, double usPerEdit, int updateBytes) {
        String toJson() {
            return String.format(Locale.ROOT,
                    "{\"impl\":\"quire\",\"size\":%d,\"buildMs\":%.1f,\"usPerEdit\":%.2f,\"updateBytes\":%d}",
                    size, buildMs, usPerEdit, updateBytes);
        }
    }

    public static Result run(int size, int edits, int seed) {
        Mulberry32 rnd = new Mulberry32(seed);
        Doc doc = new Doc(1);
        YText text = doc.getText("content");
        long t0 = System.nanoTime();
        while (text.length() < size) {
            int len = 1 + rnd.below(8);
            StringBuilder run = new StringBuilder(len);
            for (int i = 0; i < len; i++) {
                run.append(ALPHABET.charAt(rnd.below(ALPHABET.length())));
            }
            text.insert(rnd.below(text.length() + 1), run.toString());
            if (rnd.below(4) == 0 && text.length() > 10) {
                text.delete(rnd.below(text.length() - 2), 2);
            }
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < edits; i++) {
            if (rnd.below(10) < 7 || text.length() < 2) {
                text.insert(rnd.below(text.length() + 1), String.valueOf(ALPHABET.charAt(rnd.below(26))));
            } else {
                text.delete(rnd.below(text.length()), 1);
            }
        }
        long t2 = System.nanoTime();
        int bytes = Updates.encodeStateAsUpdate(doc).length;
        return new Result(size, 0, (t1 - t0) / 1e6, (t2 - t1) / 1e3 / edits, bytes);
    }

    public static void main(String[] args) {
        int edits = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000, 1_000_000);
        }
        run(sizes.get(0), edits, 7); // warm up the JIT
        for (int size : sizes) {
            System.out.println(run(size, edits, 42).toJson());
        }
    }
}
