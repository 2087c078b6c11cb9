package dev.quire.protocol;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Frames of the sync connection to {@link Message} records and back, byte for byte as y-websocket@2.1.0 and
 * y-protocols@1.0.7 write them. Every number below is a lib0 varUint, every byte array a varUint length and the
 * bytes, every string a varUint length and UTF-8:
 *
 * <pre>
 * 0  messageSync            0 syncStep1  stateVector          y-protocols sync.js
 *                           1 syncStep2  update (Yjs v1)
 *                           2 update     update (Yjs v1)
 * 1  messageAwareness       awarenessUpdate as one byte array:  y-protocols awareness.js encodeAwarenessUpdate
 *                             count, then per client: clientId, clock, state as JSON text ("null" = gone)
 * 2  messageAuth            0 permissionDenied  reason          y-protocols auth.js
 * 3  messageQueryAwareness  (nothing)                           y-websocket.js
 * 81 messageQuire           0 authOk  userId, expiresAt (epoch seconds)      Quire's own, see QuireMessage
 *                           1 renew   accessToken
 *                           2 ack     clientId, clock
 *                           3 error   code, message
 * </pre>
 *
 * <p>Decoding is stricter than y-websocket, which ignores what follows a message and unknown sub-types: here any
 * byte left over, any unknown type or sub-type, a malformed state vector and awareness state text that is not JSON
 * are errors. Every problem is a {@link ProtocolException} saying what was being read and at which byte; no other
 * exception escapes {@link #decode}. Yjs updates inside sync messages stay opaque bytes here: applying them is what
 * checks them ({@link SyncProtocol#read}), and they would otherwise be parsed twice.
 */
public final class ProtocolCodec {
    /** y-websocket's top-level message types (y-websocket.js {@code messageSync} and friends). */
    public static final int MESSAGE_SYNC = 0;
    public static final int MESSAGE_AWARENESS = 1;
    public static final int MESSAGE_AUTH = 2;
    public static final int MESSAGE_QUERY_AWARENESS = 3;
    /** Quire's messages; why this number: {@link QuireMessage}. */
    public static final int MESSAGE_QUIRE = 81;

    /** y-protocols sync.js {@code messageYjsSyncStep1}, {@code messageYjsSyncStep2}, {@code messageYjsUpdate}. */
    public static final int SYNC_STEP1 = 0;
    public static final int SYNC_STEP2 = 1;
    public static final int SYNC_UPDATE = 2;

    /** y-protocols auth.js {@code messagePermissionDenied}. */
    public static final int AUTH_PERMISSION_DENIED = 0;

    public static final int QUIRE_AUTH_OK = 0;
    public static final int QUIRE_RENEW = 1;
    public static final int QUIRE_ACK = 2;
    public static final int QUIRE_ERROR = 3;

    /**
     * The largest frame {@link #decode(byte[])} accepts: 16 MiB. The largest message in practice is a sync step 2
     * carrying a whole document; 16 MiB is 24 times the state of the largest shared editing trace (S1, 674,160
     * bytes). A frame is held in memory whole before it is decoded, so the limit bounds what one connection can make
     * the server buffer; the server closes with 1009 (RFC 6455 §7.4.1) above it, and should configure its WebSocket
     * library's own limit to the same number.
     */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** 2^53 - 1: lib0 varUints are JavaScript numbers on the other side. */
    static final long MAX_SAFE_INTEGER = Decoder.MAX_SAFE_INTEGER;

    private ProtocolCodec() {
    }

    // ---- encoding ----

    /** The frame for {@code message}, exactly as y-websocket (or, for {@link QuireMessage}s, Quire) writes it. */
    public static byte[] encode(Message message) {
        Objects.requireNonNull(message, "message");
        if (message instanceof SyncStep1 m) {
            return syncFrame(SYNC_STEP1, m.stateVector());
        } else if (message instanceof SyncStep2 m) {
            return syncFrame(SYNC_STEP2, m.update());
        } else if (message instanceof SyncUpdate m) {
            return syncFrame(SYNC_UPDATE, m.update());
        } else if (message instanceof AwarenessUpdate m) {
            return awarenessFrame(m);
        } else if (message instanceof QueryAwareness) {
            return new byte[] {MESSAGE_QUERY_AWARENESS};
        } else if (message instanceof AuthPermissionDenied m) {
            Encoder e = new Encoder(8 + m.reason().length() * 3);
            e.writeVarUint(MESSAGE_AUTH);
            e.writeVarUint(AUTH_PERMISSION_DENIED);
            e.writeVarString(m.reason());
            return e.toByteArray();
        } else if (message instanceof QuireMessage m) {
            return quireFrame(m);
        }
        throw new AssertionError("Message is sealed: " + message.getClass());
    }

    private static byte[] syncFrame(int syncType, byte[] payload) {
        Encoder e = new Encoder(payload.length + 12);
        e.writeVarUint(MESSAGE_SYNC);
        e.writeVarUint(syncType);
        e.writeVarBytes(payload);
        return e.toByteArray();
    }

    private static byte[] awarenessFrame(AwarenessUpdate m) {
        Encoder inner = new Encoder();
        inner.writeVarUint(m.entries().size());
        for (AwarenessEntry entry : m.entries()) {
            inner.writeVarUint(entry.clientId());
            inner.writeVarUint(entry.clock());
            // awareness.js writes JSON.stringify(state), and a missing state as null
            inner.writeVarString(entry.stateJson() == null ? "null" : entry.stateJson());
        }
        Encoder e = new Encoder(inner.length() + 12);
        e.writeVarUint(MESSAGE_AWARENESS);
        e.writeVarBytes(inner.toByteArray());
        return e.toByteArray();
    }

    private static byte[] quireFrame(QuireMessage message) {
        Encoder e = new Encoder();
        e.writeVarUint(MESSAGE_QUIRE);
        if (message instanceof AuthOk m) {
            e.writeVarUint(QUIRE_AUTH_OK);
            e.writeVarString(m.userId());
            e.writeVarUint(m.expiresAtEpochSeconds());
            if (m.readOnly()) {
                e.writeVarUint(1); // only then: a writer's auth-ok stays byte for byte what it always was
            }
        } else if (message instanceof Renew m) {
            e.writeVarUint(QUIRE_RENEW);
            e.writeVarString(m.accessToken());
        } else if (message instanceof Ack m) {
            e.writeVarUint(QUIRE_ACK);
            e.writeVarUint(m.clientId());
            e.writeVarUint(m.clock());
        } else if (message instanceof ErrorMessage m) {
            e.writeVarUint(QUIRE_ERROR);
            e.writeVarString(m.code());
            e.writeVarString(m.message());
        } else {
            throw new AssertionError("QuireMessage is sealed: " + message.getClass());
        }
        return e.toByteArray();
    }

    // ---- decoding ----

    /** Decodes one frame of at most {@link #MAX_FRAME_BYTES}. */
    public static Message decode(byte[] frame) {
        return decode(frame, MAX_FRAME_BYTES);
    }

    /**
     * Decodes one frame.
     *
     * @param maxBytes the largest frame accepted; a larger one is refused unread ({@link ProtocolException.Kind#TOO_LARGE})
     * @throws ProtocolException for anything but one complete, valid message
     */
    public static Message decode(byte[] frame, int maxBytes) {
        Objects.requireNonNull(frame, "frame");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        if (frame.length > maxBytes) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE,
                    "frame of " + frame.length + " bytes is larger than the limit of " + maxBytes + " bytes", maxBytes);
        }
        if (frame.length == 0) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "empty frame", 0);
        }
        Reader r = new Reader(frame);
        try {
            Message message = readMessage(r);
            if (r.in.hasContent()) {
                throw new ProtocolException(ProtocolException.Kind.MALFORMED, r.in.remaining()
                        + " bytes left over after a complete " + name(message) + " message", r.in.position());
            }
            return message;
        } catch (DecodingException e) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED,
                    "cannot read " + r.part + ": " + withoutOffset(e), e.offset(), e);
        }
    }

    private static Message readMessage(Reader r) {
        long type = r.varUint("the message type");
        if (type == MESSAGE_SYNC) {
            return readSync(r);
        } else if (type == MESSAGE_AWARENESS) {
            return readAwareness(r);
        } else if (type == MESSAGE_AUTH) {
            int at = r.in.position();
            long authType = r.varUint("the auth message type");
            if (authType != AUTH_PERMISSION_DENIED) {
                throw unknown("auth message type " + authType, at);
            }
            return new AuthPermissionDenied(r.string("the permission-denied reason"));
        } else if (type == MESSAGE_QUERY_AWARENESS) {
            return new QueryAwareness();
        } else if (type == MESSAGE_QUIRE) {
            return readQuire(r);
        }
        throw unknown("message type " + type, 0);
    }

    private static SyncMessage readSync(Reader r) {
        int at = r.in.position();
        long syncType = r.varUint("the sync message type");
        if (syncType == SYNC_STEP1) {
            int len = r.length("the sync step 1 state vector length");
            int start = r.in.position();
            byte[] stateVector = r.bytes(len, "the sync step 1 state vector");
            checkStateVector(r, start, len);
            return new SyncStep1(stateVector);
        } else if (syncType == SYNC_STEP2) {
            return new SyncStep2(r.bytes(r.length("the sync step 2 update length"), "the sync step 2 update"));
        } else if (syncType == SYNC_UPDATE) {
            return new SyncUpdate(r.bytes(r.length("the sync update length"), "the sync update"));
        }
        throw unknown("sync message type " + syncType, at);
    }

    /** Yjs's encodeStateVector: a count, then client and clock per entry (clocks fit Quire's int clocks). */
    private static void checkStateVector(Reader r, int start, int len) {
        Decoder sv = new Decoder(r.frame, start, len);
        r.part = "the sync step 1 state vector size";
        long count = sv.readVarUint();
        for (long i = 0; i < count; i++) {
            r.part = "sync step 1 state vector entry " + i;
            sv.readVarUint();
            sv.readVarUintAsInt("clock");
        }
        if (sv.hasContent()) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "sync step 1 state vector has "
                    + sv.remaining() + " bytes left over after its " + count + " entries", sv.position());
        }
    }

    private static AwarenessUpdate readAwareness(Reader r) {
        int len = r.length("the awareness update length");
        Decoder in = r.region(len);
        r.part = "the awareness update's client count";
        long count = in.readVarUint();
        // each entry takes at least 3 bytes: don't let a claimed count size the list
        List<AwarenessEntry> entries = new ArrayList<>((int) Math.min(count, in.remaining() / 3 + 1));
        for (long i = 0; i < count; i++) {
            r.part = "awareness entry " + i + "'s client id";
            long clientId = in.readVarUint();
            r.part = "awareness entry " + i + "'s clock";
            long clock = in.readVarUint();
            r.part = "awareness entry " + i + "'s state";
            int stateAt = in.position();
            String state = in.readVarString();
            try {
                entries.add(new AwarenessEntry(clientId, clock, state));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ProtocolException.Kind.MALFORMED,
                        "awareness entry " + i + " (client " + clientId + "): " + e.getMessage(), stateAt);
            }
        }
        if (in.hasContent()) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "awareness update has "
                    + in.remaining() + " bytes left over after its " + count + " entries", in.position());
        }
        return new AwarenessUpdate(entries);
    }

    private static QuireMessage readQuire(Reader r) {
        int at = r.in.position();
        long quireType = r.varUint("the Quire message type");
        if (quireType == QUIRE_AUTH_OK) {
            String userId = r.string("the auth-ok user id");
            long expiry = r.varUint("the auth-ok expiry");
            boolean readOnly = r.in.hasContent() && r.varUint("the auth-ok read-only flag") == 1;
            return new AuthOk(userId, expiry, readOnly);
        } else if (quireType == QUIRE_RENEW) {
            return new Renew(r.string("the renew access token"));
        } else if (quireType == QUIRE_ACK) {
            long clientId = r.varUint("the ack client id");
            return new Ack(clientId, r.varUint("the ack clock"));
        } else if (quireType == QUIRE_ERROR) {
            String code = r.string("the error code");
            return new ErrorMessage(code, r.string("the error message"));
        }
        throw unknown("Quire message type " + quireType, at);
    }

    private static ProtocolException unknown(String what, int at) {
        return new ProtocolException(ProtocolException.Kind.UNKNOWN_TYPE, "unknown " + what, at);
    }

    private static String name(Message m) {
        return m.getClass().getSimpleName();
    }

    /** DecodingException's message ends with its offset, which ProtocolException adds again. */
    static String withoutOffset(RuntimeException e) {
        String message = e.getMessage();
        int suffix = message.lastIndexOf(" (at byte ");
        return suffix < 0 ? message : message.substring(0, suffix);
    }

    /** A decoder over the frame that remembers which part it is reading, for the error message. */
    private static final class Reader {
        final byte[] frame;
        Decoder in;
        String part = "the message type";

        Reader(byte[] frame) {
            this.frame = frame;
            this.in = new Decoder(frame);
        }

        long varUint(String what) {
            part = what;
            return in.readVarUint();
        }

        String string(String what) {
            part = what;
            return in.readVarString();
        }

        /** A length prefix, checked against what is left so that nothing is allocated for a lie. */
        int length(String what) {
            part = what;
            int at = in.position();
            int len = in.readVarUintAsInt("length");
            if (len > in.remaining()) {
                throw new DecodingException("unexpected end of input: " + len + " bytes announced, "
                        + in.remaining() + " left", at);
            }
            return len;
        }

        byte[] bytes(int len, String what) {
            part = what;
            return in.readBytes(len);
        }

        /** The next {@code len} bytes as a decoder of their own (frame offsets), skipping them here. */
        Decoder region(int len) {
            int start = in.position();
            in = new Decoder(frame, start + len, frame.length - start - len);
            return new Decoder(frame, start, len);
        }
    }
}
