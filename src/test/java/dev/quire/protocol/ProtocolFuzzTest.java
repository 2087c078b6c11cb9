package dev.quire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quire.crdt.Doc;
import dev.quire.crdt.Updates;
import dev.quire.crdt.encoding.Encoder;
import dev.quire.crdt.encoding.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random and damaged frames (bit flips, overwritten, inserted and deleted bytes, truncation, huge lengths, spliced
 * pieces of other frames, pure noise): decoding one either yields a message or throws {@link ProtocolException},
 * never anything else, and never quotes a token. A decoded message encodes and decodes back to itself, and a sync
 * message is handled by {@link SyncProtocol} with nothing but ProtocolException either; when that throws, the
 * document is unchanged.
 *
 * <p>A failure names its seed and case and shows the frame; {@code -Dquire.fuzz.seed=N} replays one seed and
 * {@code -Dquire.fuzz.long=true} runs many more.
 */
class ProtocolFuzzTest {
    private static final boolean LONG = Boolean.getBoolean("quire.fuzz.long");
    private static final String SEED = System.getProperty("quire.fuzz.seed", "");
    private static final int CASES_PER_SEED = 25_000;
    private static final HexFormat HEX = HexFormat.of();

    static LongStream seeds() {
        return SEED.isEmpty() ? LongStream.rangeClosed(1, LONG ? 200 : 4) : LongStream.of(Long.parseLong(SEED));
    }

    private static List<byte[]> corpus() {
        List<byte[]> frames = new ArrayList<>();
        for (Message m : Samples.messages()) {
            frames.add(ProtocolCodec.encode(m));
        }
        // small sync frames too, so that damage often lands inside a real update
        Doc doc = new Doc(5);
        List<byte[]> updates = new ArrayList<>();
        doc.onUpdate((u, origin, t) -> updates.add(u));
        doc.getText("content").insert(0, "abc");
        doc.getMap("m").set("k", "v");
        doc.getText("content").delete(1, 1);
        updates.forEach(u -> frames.add(ProtocolCodec.encode(new SyncUpdate(u))));
        frames.add(ProtocolCodec.encode(new SyncStep1(Updates.encodeStateVector(doc))));
        return frames;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void damagedFramesAreDecodedOrRefusedCleanly(long seed) {
        Random rng = new Random(seed);
        List<byte[]> corpus = corpus();
        // receivers: a plain document, and one holding content that waits for a missing dependency
        byte[][] docStates = {Samples.state(Samples.docAB()), Samples.state(Samples.docWithPending())};
        int decoded = 0;
        for (int i = 0; i < CASES_PER_SEED; i++) {
            byte[] frame = rng.nextInt(8) == 0 ? noise(rng) : damage(rng, corpus.get(rng.nextInt(corpus.size())), corpus);
            String where = "seed " + seed + ", case " + i + " (replay with -Dquire.fuzz.seed=" + seed + "), frame "
                    + HEX.formatHex(frame, 0, Math.min(frame.length, 200)) + (frame.length > 200 ? "…" : "");
            Message message;
            try {
                message = ProtocolCodec.decode(frame, rng.nextInt(20) == 0 ? 1 + rng.nextInt(64) : ProtocolCodec.MAX_FRAME_BYTES);
            } catch (ProtocolException e) {
                assertNotNull(e.kind(), where);
                assertTrue(e.offset() >= -1, where);
                assertFalse(e.getMessage().contains("secret-token"), where + ": " + e.getMessage());
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(where + ": " + e, e);
            }
            decoded++;
            byte[] again = ProtocolCodec.encode(message);
            assertEquals(message, ProtocolCodec.decode(again), where + ": round trip of " + message);
            assertArrayEquals(again, ProtocolCodec.encode(ProtocolCodec.decode(again)), where);
            if (message instanceof SyncMessage sync && rng.nextInt(4) == 0) {
                handle(sync, docStates[rng.nextInt(docStates.length)], where);
            }
        }
        assertTrue(decoded > CASES_PER_SEED / 50, "seed " + seed + ": only " + decoded + " frames decoded");
    }

    private static void handle(SyncMessage sync, byte[] docState, String where) {
        Doc doc = Samples.load(6, docState);
        try {
            SyncProtocol.read(doc, sync, "fuzz");
        } catch (ProtocolException e) {
            assertArrayEquals(docState, Samples.state(doc), where + ": document changed by a refused " + sync);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(where + ": SyncProtocol.read threw " + e, e);
        }
    }

    private static byte[] noise(Random rng) {
        byte[] frame = new byte[rng.nextInt(48)];
        rng.nextBytes(frame);
        if (frame.length > 0 && rng.nextBoolean()) {
            int[] types = {0, 1, 2, 3, 81};
            frame[0] = (byte) types[rng.nextInt(types.length)];
        }
        return frame;
    }

    private static byte[] damage(Random rng, byte[] frame, List<byte[]> corpus) {
        byte[] f = frame.clone();
        int rounds = 1 + rng.nextInt(rng.nextInt(8) == 0 ? 8 : 2);
        for (int r = 0; r < rounds; r++) {
            int at = f.length == 0 ? 0 : rng.nextInt(f.length);
            switch (rng.nextInt(8)) {
                case 0 -> {
                    if (f.length > 0) {
                        f[at] ^= (byte) (1 << rng.nextInt(8));
                    }
                }
                case 1 -> {
                    if (f.length > 0) {
                        f[at] = (byte) rng.nextInt(256);
                    }
                }
                case 2 -> f = splice(f, at, at, new byte[] {(byte) rng.nextInt(256)});
                case 3 -> f = splice(f, at, Math.min(f.length, at + 1 + rng.nextInt(4)), new byte[0]);
                case 4 -> f = Arrays.copyOf(f, rng.nextInt(f.length + 1));
                case 5 -> {
                    // a varUint that claims far more than there is
                    Encoder e = new Encoder();
                    e.writeVarUint(rng.nextBoolean() ? (1L << rng.nextInt(53)) : Integer.MAX_VALUE + 1L);
                    f = splice(f, at, Math.min(f.length, at + 1), e.toByteArray());
                }
                case 6 -> {
                    byte[] other = corpus.get(rng.nextInt(corpus.size()));
                    int from = rng.nextInt(other.length);
                    f = splice(f, at, f.length, Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + rng.nextInt(16))));
                }
                default -> {
                    byte[] tail = new byte[1 + rng.nextInt(4)];
                    rng.nextBytes(tail);
                    f = splice(f, f.length, f.length, tail);
                }
            }
        }
        return f;
    }

    private static byte[] splice(byte[] f, int from, int to, byte[] insert) {
        byte[] out = new byte[f.length - (to - from) + insert.length];
        System.arraycopy(f, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(f, to, out, from + insert.length, f.length - to);
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomMessagesSurviveARoundTrip(long seed) {
        Random rng = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            Message m = randomMessage(rng);
            try {
                assertEquals(m, ProtocolCodec.decode(ProtocolCodec.encode(m)));
            } catch (RuntimeException | AssertionError e) {
                fail("seed " + seed + ", case " + i + " (replay with -Dquire.fuzz.seed=" + seed + "): " + m + ": " + e, e);
            }
        }
    }

    private static Message randomMessage(Random rng) {
        switch (rng.nextInt(9)) {
            case 0:
                return new SyncStep2(randomBytes(rng));
            case 1:
                return new SyncUpdate(randomBytes(rng));
            case 2: {
                List<AwarenessEntry> entries = new ArrayList<>();
                for (int n = rng.nextInt(4); n > 0; n--) {
                    entries.add(new AwarenessEntry(randomUint(rng), randomUint(rng),
                            rng.nextInt(4) == 0 ? null : "{\"name\":" + quote(randomString(rng)) + "}"));
                }
                return new AwarenessUpdate(entries);
            }
            case 3:
                return new AuthPermissionDenied(randomString(rng));
            case 4:
                return new AuthOk(randomString(rng), randomUint(rng));
            case 5:
                return new Renew(randomString(rng));
            case 6:
                return new Ack(randomUint(rng), randomUint(rng));
            case 7:
                return new ErrorMessage(randomString(rng), randomString(rng));
            default:
                return new QueryAwareness();
        }
    }

    private static long randomUint(Random rng) {
        return rng.nextLong() >>> (11 + rng.nextInt(53));
    }

    private static byte[] randomBytes(Random rng) {
        byte[] b = new byte[rng.nextInt(300)];
        rng.nextBytes(b);
        return b;
    }

    /** Random text of whole code points (lone surrogates would become U+FFFD on the wire, as in JavaScript). */
    private static String randomString(Random rng) {
        StringBuilder sb = new StringBuilder();
        for (int n = rng.nextInt(20); n > 0; n--) {
            int cp = switch (rng.nextInt(4)) {
                case 0 -> 0x20 + rng.nextInt(0x5f);
                case 1 -> rng.nextInt(0x20);
                case 2 -> 0xa0 + rng.nextInt(0xd000);
                default -> 0x10000 + rng.nextInt(0x10000);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return Json.stringify(s);
    }
}
