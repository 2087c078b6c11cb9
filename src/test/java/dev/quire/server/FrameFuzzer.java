package dev.quire.server;

import dev.quire.crdt.Doc;
import dev.quire.crdt.YText;
import dev.quire.crdt.encoding.Encoder;
import dev.quire.protocol.Ack;
import dev.quire.protocol.AuthOk;
import dev.quire.protocol.ErrorMessage;
import dev.quire.protocol.ProtocolCodec;
import dev.quire.protocol.QueryAwareness;
import dev.quire.protocol.Renew;
import dev.quire.protocol.SyncProtocol;
import dev.quire.protocol.SyncUpdate;
import java.util.Arrays;
import java.util.Random;

/**
 * Makes the frames a hostile or broken client sends: valid y-protocols and Quire frames (real updates from a scratch
 * document of its own), the same with flipped bytes, cut short, grown, with huge length prefixes; unknown message
 * types, random garbage, and frames above the server's limit. Deterministic for a given {@link Random}.
 */
final class FrameFuzzer {
    /** What kind of frame {@link #next()} made, for the test's statistics. */
    enum Kind { VALID, FLIPPED, TRUNCATED, EXTENDED, HUGE_LENGTH, UNKNOWN_TYPE, GARBAGE, OVERSIZE }

    record Frame(Kind kind, byte[] bytes) {
    }

    private final Random random;
    private final int maxFrameBytes;
    /** Its own document, so its updates are real ones, with its own client id (never an honest client's). */
    private final Doc scratch = new Doc();

    FrameFuzzer(Random random, int maxFrameBytes) {
        this.random = random;
        this.maxFrameBytes = maxFrameBytes;
        scratch.setClientId(1_000_000 + random.nextInt(1 << 30));
    }

    Frame next() {
        int dice = random.nextInt(100);
        if (dice < 25) {
            return new Frame(Kind.VALID, valid());
        } else if (dice < 45) {
            return new Frame(Kind.FLIPPED, flip(valid(throwaway())));
        } else if (dice < 58) {
            byte[] v = valid();
            return new Frame(Kind.TRUNCATED, Arrays.copyOf(v, random.nextInt(v.length)));
        } else if (dice < 66) {
            byte[] v = valid();
            byte[] more = Arrays.copyOf(v, v.length + 1 + random.nextInt(16));
            for (int i = v.length; i < more.length; i++) {
                more[i] = (byte) random.nextInt(256);
            }
            return new Frame(Kind.EXTENDED, more);
        } else if (dice < 76) {
            return new Frame(Kind.HUGE_LENGTH, hugeLength());
        } else if (dice < 84) {
            return new Frame(Kind.UNKNOWN_TYPE, unknownType());
        } else if (dice < 97) {
            return new Frame(Kind.GARBAGE, garbage(random.nextInt(200)));
        }
        return new Frame(Kind.OVERSIZE, garbage(maxFrameBytes + 1 + random.nextInt(1000)));
    }

    /** A well-formed frame of a random message type. */
    byte[] valid() {
        return valid(scratch);
    }

    /**
     * A document of a client id used for this one frame only. A flipped byte can turn an update into a different but
     * well-formed one, which the server stores; made from the scratch document, that would be a second, different
     * version of structs the scratch document sends later (equivocation), which Yjs does not promise to merge the
     * same way everywhere. Real clients never do that, and the fuzz checks convergence, so flips get a throwaway
     * client.
     */
    private Doc throwaway() {
        Doc d = new Doc(2_000_000_000L + random.nextInt(1 << 30));
        for (int i = random.nextInt(4); i > 0; i--) {
            edit(d); // never sent: the frame's update then waits for them, forever
        }
        return d;
    }

    private byte[] valid(Doc source) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> ProtocolCodec.encode(new SyncUpdate(edit(source)));
            case 4 -> ProtocolCodec.encode(SyncProtocol.syncStep2(source, new byte[] {0}));
            case 5 -> ProtocolCodec.encode(SyncProtocol.syncStep1(source));
            case 6 -> awareness();
            case 7 -> ProtocolCodec.encode(new QueryAwareness());
            case 8 -> ProtocolCodec.encode(switch (random.nextInt(4)) {
                case 0 -> new Renew("not-a-token-" + random.nextInt(1000));
                case 1 -> new Ack(random.nextInt(1 << 20), random.nextInt(1000));
                case 2 -> new AuthOk("someone", random.nextInt(1 << 30));
                default -> new ErrorMessage("WHATEVER", "from a client");
            });
            default -> {
                // the one server-bound auth message y-protocols has is permission-denied; clients do not send it
                Encoder e = new Encoder();
                e.writeVarUint(ProtocolCodec.MESSAGE_AUTH);
                e.writeVarUint(random.nextInt(3));
                e.writeVarString("reason");
                yield e.toByteArray();
            }
        };
    }

    /** A real update of {@code d}: an insert, a delete or a map entry. */
    private byte[] edit(Doc d) {
        byte[][] update = new byte[1][];
        Runnable off = d.onUpdate((u, origin, t) -> update[0] = u);
        try {
            YText text = d.getText(random.nextBoolean() ? QuireClient.TEXT : "other");
            int len = text.length();
            if (len > 0 && random.nextInt(4) == 0) {
                int at = random.nextInt(len);
                text.delete(at, 1 + random.nextInt(Math.min(5, len - at)));
            } else if (random.nextInt(5) == 0) {
                d.getMap("meta").set("k" + random.nextInt(5), random.nextInt(1000));
            } else {
                text.insert(random.nextInt(len + 1), "fz" + random.nextInt(100));
            }
        } finally {
            off.run();
        }
        return update[0] != null ? update[0] : new byte[] {0, 0};
    }

    private byte[] awareness() {
        Encoder inner = new Encoder();
        int n = 1 + random.nextInt(3);
        inner.writeVarUint(n);
        for (int i = 0; i < n; i++) {
            inner.writeVarUint(random.nextInt(4) == 0 ? random.nextInt(1 << 30) : scratch.clientId());
            inner.writeVarUint(random.nextInt(50));
            inner.writeVarString(switch (random.nextInt(6)) {
                case 0 -> "null";
                case 1 -> "{\"user\":{\"id\":\"admin\",\"name\":\"Admin\"}}";
                case 2 -> "[1,2,3]";
                case 3 -> "{\"cursor\":{\"anchor\":" + random.nextInt(100) + "}";  // cut short
                case 4 -> "{\"user\":\"not-an-object\",\"n\":1e999}";
                default -> "{}";
            });
        }
        Encoder e = new Encoder();
        e.writeVarUint(ProtocolCodec.MESSAGE_AWARENESS);
        e.writeVarUint(inner.length());
        e.writeBytes(inner.toByteArray());
        return e.toByteArray();
    }

    private byte[] flip(byte[] frame) {
        byte[] f = frame.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && f.length > 0; i++) {
            int at = random.nextInt(f.length);
            f[at] ^= (byte) (1 << random.nextInt(8));
        }
        return f;
    }

    /** A frame whose length prefixes (of the payload, an update's counts, a string) claim far more than it holds. */
    private byte[] hugeLength() {
        Encoder e = new Encoder();
        switch (random.nextInt(4)) {
            case 0 -> { // sync update whose payload length is 2^35
                e.writeVarUint(ProtocolCodec.MESSAGE_SYNC);
                e.writeVarUint(ProtocolCodec.SYNC_UPDATE);
                e.writeVarUint(1L << 35);
                e.writeBytes(new byte[] {1, 2, 3});
            }
            case 1 -> { // an update claiming 2^31 structs of one client
                Encoder u = new Encoder();
                u.writeVarUint(1);
                u.writeVarUint(1L << 31);
                u.writeVarUint(scratch.clientId());
                u.writeVarUint(0);
                u.writeBytes(new byte[] {4, 1, 1, 't'});
                e.writeVarUint(ProtocolCodec.MESSAGE_SYNC);
                e.writeVarUint(ProtocolCodec.SYNC_UPDATE);
                e.writeVarUint(u.length());
                e.writeBytes(u.toByteArray());
            }
            case 2 -> { // awareness with 2^40 entries
                e.writeVarUint(ProtocolCodec.MESSAGE_AWARENESS);
                e.writeVarUint(6);
                e.writeVarUint(1L << 40);
                e.writeVarUint(1);
            }
            default -> { // a string of one text item claiming 2^30 characters
                Encoder u = new Encoder();
                u.writeVarUint(1);
                u.writeVarUint(1);
                u.writeVarUint(scratch.clientId());
                u.writeVarUint(1000 + random.nextInt(1000));
                u.writeUint8(4); // string content, parent by root name
                u.writeVarUint(1);
                u.writeVarString(QuireClient.TEXT);
                u.writeVarUint(1L << 30);
                u.writeBytes(new byte[] {'a', 'b'});
                e.writeVarUint(ProtocolCodec.MESSAGE_SYNC);
                e.writeVarUint(ProtocolCodec.SYNC_UPDATE);
                e.writeVarUint(u.length());
                e.writeBytes(u.toByteArray());
            }
        }
        return e.toByteArray();
    }

    private byte[] unknownType() {
        Encoder e = new Encoder();
        int type = random.nextBoolean() ? 4 + random.nextInt(70) : 82 + random.nextInt(1 << 20);
        if (random.nextInt(4) == 0) { // a known type with an unknown subtype
            e.writeVarUint(random.nextBoolean() ? ProtocolCodec.MESSAGE_SYNC : ProtocolCodec.MESSAGE_QUIRE);
            e.writeVarUint(4 + random.nextInt(100));
        } else {
            e.writeVarUint(type);
        }
        e.writeBytes(garbage(random.nextInt(40)));
        return e.toByteArray();
    }

    private byte[] garbage(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
