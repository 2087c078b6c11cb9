package dev.quire.crdt.encoding;

import java.util.Arrays;

/**
 * A growable byte buffer with lib0's variable-length encodings (lib0/encoding.js), the primitives every Yjs message
 * and update is made of. Not thread-safe; one encoder per message.
 */
public final class Encoder {
    private byte[] buf;
    private int pos;

    public Encoder() {
        this(64);
    }

    public Encoder(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public int length() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public void writeUint8(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    /** Unsigned LEB128 as lib0 writes it: 7 bits per byte, high bit = more follows. Values up to 2^53. */
    public void writeVarUint(long num) {
        ensure(10);
        while (num > 0x7F) {
            buf[pos++] = (byte) (0x80 | (num & 0x7F));
            num >>>= 7;
        }
        buf[pos++] = (byte) num;
    }

    /**
     * lib0's signed varint: the first byte carries a continuation bit, a sign bit and 6 bits of magnitude; later bytes
     * carry 7 bits each. The magnitude is stored, not two's complement.
     */
    public void writeVarInt(long num) {
        boolean negative = num < 0;
        long abs = negative ? -num : num;
        writeVarIntMagnitude(abs, negative);
    }

    /** Writes {@code -0} distinctly, as JavaScript can. */
    void writeVarIntMagnitude(long abs, boolean negative) {
        ensure(11);
        buf[pos++] = (byte) ((abs > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (abs & 0x3F));
        abs >>>= 6;
        while (abs > 0) {
            buf[pos++] = (byte) ((abs > 0x7F ? 0x80 : 0) | (abs & 0x7F));
            abs >>>= 7;
        }
    }

    public void writeBytes(byte[] bytes) {
        writeBytes(bytes, 0, bytes.length);
    }

    public void writeBytes(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
    }

    /** A length-prefixed byte array (lib0 writeVarUint8Array). */
    public void writeVarBytes(byte[] bytes) {
        writeVarUint(bytes.length);
        writeBytes(bytes);
    }

    /**
     * A length-prefixed UTF-8 string. Lone surrogates become U+FFFD, as JavaScript's TextEncoder does (Java's own
     * encoder would write '?', which would break byte identity with Yjs).
     */
    public void writeVarString(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            writeVarUint(n);
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
            return;
        }
        writeVarUint(Utf8.encodedLength(s));
        ensure(n * 3);
        pos = Utf8.encode(s, buf, pos);
    }

    public void writeFloat32(float f) {
        int bits = Float.floatToRawIntBits(f);
        writeUint8(bits >>> 24);
        writeUint8(bits >>> 16);
        writeUint8(bits >>> 8);
        writeUint8(bits);
    }

    public void writeFloat64(double d) {
        long bits = Double.doubleToRawLongBits(d);
        for (int shift = 56; shift >= 0; shift -= 8) {
            writeUint8((int) (bits >>> shift));
        }
    }

    public void writeBigInt64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            writeUint8((int) (v >>> shift));
        }
    }
}
