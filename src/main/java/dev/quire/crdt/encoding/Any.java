package dev.quire.crdt.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * lib0's "any" encoding (writeAny/readAny) of JavaScript values, and the Java shapes Quire uses for them:
 * {@code null}, {@link #UNDEFINED}, {@link Boolean}, {@link Number} (integers decode as {@link Long}, floats as
 * {@link Double}), {@link BigInteger} (JS bigint), {@link String}, {@link List}, {@link Map} with String keys, and
 * {@code byte[]} (JS Uint8Array).
 */
public final class Any {
    /** JavaScript's {@code undefined}, distinct from {@code null} on the wire (type tag 127 vs 126). */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private static final long BITS31 = 0x7FFFFFFFL;

    private Any() {
    }

    public static void write(Encoder encoder, Object data) {
        if (data == null) {
            encoder.writeUint8(126);
        } else if (data == UNDEFINED) {
            encoder.writeUint8(127);
        } else if (data instanceof String s) {
            encoder.writeUint8(119);
            encoder.writeVarString(s);
        } else if (data instanceof Boolean b) {
            encoder.writeUint8(b ? 120 : 121);
        } else if (data instanceof BigInteger big) {
            encoder.writeUint8(122);
            encoder.writeBigInt64(big.longValue());
        } else if (data instanceof Number n) {
            writeNumber(encoder, n);
        } else if (data instanceof byte[] bytes) {
            encoder.writeUint8(116);
            encoder.writeVarBytes(bytes);
        } else if (data instanceof List<?> list) {
            encoder.writeUint8(117);
            encoder.writeVarUint(list.size());
            for (Object o : list) {
                write(encoder, o);
            }
        } else if (data instanceof Map<?, ?> map) {
            encoder.writeUint8(118);
            List<String> keys = jsKeyOrder(map);
            encoder.writeVarUint(keys.size());
            for (String key : keys) {
                encoder.writeVarString(key);
                write(encoder, map.get(key));
            }
        } else {
            throw new IllegalArgumentException("not a JSON-like value: " + data.getClass().getName());
        }
    }

    private static void writeNumber(Encoder encoder, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            long v = n.longValue();
            if (Math.abs(v) <= BITS31) {
                encoder.writeUint8(125);
                encoder.writeVarInt(v);
                return;
            }
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) <= BITS31) {
            // Number.isInteger(d): JavaScript has no int/float distinction, so 2.0 travels as an integer.
            encoder.writeUint8(125);
            if (d == 0 && 1 / d < 0) {
                encoder.writeVarIntMagnitude(0, true);
            } else {
                encoder.writeVarInt((long) d);
            }
        } else if ((double) (float) d == d || Double.isNaN(d)) {
            encoder.writeUint8(124);
            encoder.writeFloat32((float) d);
        } else {
            encoder.writeUint8(123);
            encoder.writeFloat64(d);
        }
    }

    public static Object read(Decoder decoder) {
        return read(decoder, 0);
    }

    private static Object read(Decoder decoder, int depth) {
        int at = decoder.position();
        if (depth > 1000) {
            throw new DecodingException("value nested too deeply", at);
        }
        int tag = decoder.readUint8();
        switch (tag) {
            case 127:
                return UNDEFINED;
            case 126:
                return null;
            case 125: {
                long v = decoder.readVarInt();
                return v == Long.MIN_VALUE ? (Object) (-0.0d) : (Object) v;
            }
            case 124:
                return (double) decoder.readFloat32();
            case 123:
                return decoder.readFloat64();
            case 122:
                return BigInteger.valueOf(decoder.readBigInt64());
            case 121:
                return Boolean.FALSE;
            case 120:
                return Boolean.TRUE;
            case 119:
                return decoder.readVarString();
            case 118: {
                int len = decoder.readVarUintAsInt("object size");
                Map<String, Object> obj = new LinkedHashMap<>();
                for (int i = 0; i < len; i++) {
                    String key = decoder.readVarString();
                    obj.put(key, read(decoder, depth + 1));
                }
                return obj;
            }
            case 117: {
                int len = decoder.readVarUintAsInt("array size");
                List<Object> arr = new ArrayList<>(Math.min(len, decoder.remaining()));
                for (int i = 0; i < len; i++) {
                    arr.add(read(decoder, depth + 1));
                }
                return arr;
            }
            case 116:
                return decoder.readVarBytes();
            default:
                throw new DecodingException("unknown value type tag " + tag, at);
        }
    }

    /**
     * Object.keys order in JavaScript: integer-like keys ascending first, then the other keys in insertion order.
     * Encoding in any other order would change the bytes.
     */
    public static List<String> jsKeyOrder(Map<?, ?> map) {
        List<String> ints = null;
        List<String> rest = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            String key = String.valueOf(k);
            if (isArrayIndex(key)) {
                if (ints == null) {
                    ints = new ArrayList<>();
                }
                ints.add(key);
            } else {
                rest.add(key);
            }
        }
        if (ints == null) {
            return rest;
        }
        ints.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        ints.addAll(rest);
        return ints;
    }

    private static boolean isArrayIndex(String key) {
        int n = key.length();
        if (n == 0 || n > 10 || (n > 1 && key.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(key) < 0xFFFFFFFFL;
    }

    /**
     * JavaScript's {@code ===} for these values: primitives by value (all numbers as doubles), objects, arrays and
     * byte arrays by identity.
     */
    public static boolean strictEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof BigInteger) && !(b instanceof BigInteger)) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof String || a instanceof Boolean || a instanceof BigInteger) {
            return a.equals(b);
        }
        return false;
    }

    /**
     * Structural equality used for formatting attributes (Yjs's equalAttrs: identical, or both objects with equal
     * own properties compared one level deep by ===).
     */
    public static boolean equalAttrs(Object a, Object b) {
        if (strictEquals(a, b)) {
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !strictEquals(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            // lib0 object.equalFlat treats arrays as objects keyed by index.
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!strictEquals(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return false;
    }
}
