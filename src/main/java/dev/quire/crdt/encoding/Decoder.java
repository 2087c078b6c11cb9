package dev.quire.crdt.encoding;

import java.nio.charset.StandardCharsets;

/**
 * Reads lib0's encodings (lib0/decoding.js). Every read checks bounds: running off the end or reading a number
 * larger than JavaScript could represent throws {@link DecodingException} with the byte offset, never an
 * {@code ArrayIndexOutOfBoundsException}.
 */
public final class Decoder {
    /** 2^53 - 1: the largest integer a JavaScript peer can represent exactly. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private final byte[] arr;
    private int pos;
    private final int end;

    public Decoder(byte[] arr) {
        this(arr, 0, arr.length);
    }

    public Decoder(byte[] arr, int offset, int length) {
        this.arr = arr;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public boolean hasContent() {
        return pos < end;
    }

    public int remaining() {
        return end - pos;
    }

    private DecodingException endOfInput(String what) {
        return new DecodingException("unexpected end of input while reading " + what, pos);
    }

    public int readUint8() {
        if (pos >= end) {
            throw endOfInput("a byte");
        }
        return arr[pos++] & 0xFF;
    }

    public long readVarUint() {
        long num = 0;
        int shift = 0;
        int start = pos;
        while (pos < end) {
            int r = arr[pos++] & 0xFF;
            num |= ((long) (r & 0x7F)) << shift;
            shift += 7;
            if (r < 0x80) {
                if (num > MAX_SAFE_INTEGER || num < 0) {
                    throw new DecodingException("integer out of range", start);
                }
                return num;
            }
            if (shift > 53) {
                throw new DecodingException("integer out of range", start);
            }
        }
        throw endOfInput("a variable-length integer");
    }

    /** A varUint that must fit a non-negative int (lengths, clocks, counts). */
    public int readVarUintAsInt(String what) {
        int start = pos;
        long v = readVarUint();
        if (v > Integer.MAX_VALUE) {
            throw new DecodingException(what + " too large: " + v, start);
        }
        return (int) v;
    }

    /** A signed lib0 varint. Returns {@code Long.MIN_VALUE} for JavaScript's negative zero. */
    public long readVarInt() {
        int start = pos;
        int r = readUint8();
        long num = r & 0x3F;
        boolean negative = (r & 0x40) != 0;
        if ((r & 0x80) == 0) {
            return negative ? (num == 0 ? Long.MIN_VALUE : -num) : num;
        }
        int shift = 6;
        while (pos < end) {
            r = arr[pos++] & 0xFF;
            num |= ((long) (r & 0x7F)) << shift;
            shift += 7;
            if (r < 0x80) {
                if (num > MAX_SAFE_INTEGER) {
                    throw new DecodingException("integer out of range", start);
                }
                return negative ? (num == 0 ? Long.MIN_VALUE : -num) : num;
            }
            if (shift > 53) {
                throw new DecodingException("integer out of range", start);
            }
        }
        throw endOfInput("a variable-length integer");
    }

    public byte[] readBytes(int len) {
        if (len < 0 || len > end - pos) {
            throw endOfInput(len + " bytes");
        }
        byte[] out = new byte[len];
        System.arraycopy(arr, pos, out, 0, len);
        pos += len;
        return out;
    }

    public byte[] readVarBytes() {
        return readBytes(readVarUintAsInt("byte array length"));
    }

    public String readVarString() {
        int len = readVarUintAsInt("string length");
        if (len > end - pos) {
            throw endOfInput("a string of " + len + " bytes");
        }
        String s;
        boolean ascii = true;
        for (int i = pos; i < pos + len; i++) {
            if (arr[i] < 0) {
                ascii = false;
                break;
            }
        }
        s = new String(arr, pos, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    public float readFloat32() {
        int bits = (readUint8() << 24) | (readUint8() << 16) | (readUint8() << 8) | readUint8();
        return Float.intBitsToFloat(bits);
    }

    public double readFloat64() {
        return Double.longBitsToDouble(readBigInt64());
    }

    public long readBigInt64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | readUint8();
        }
        return v;
    }
}
