package dev.quire.crdt;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Encoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A position in a shared type that stays with the content around it while others edit (Yjs utils/RelativePosition.js):
 * a cursor placed before "b" in "abc" is still before "b" after someone inserts at the start. It names the item
 * (character) it sticks to, not an index; {@link #toAbsolute(Doc)} turns it back into an index.
 *
 * <p>Exactly as in Yjs, one of three forms, checked in this order:
 * <ul>
 *   <li>{@code item} set: the position sticks to that character;</li>
 *   <li>{@code tname} set: the start or end (by {@code assoc}) of the root type with that name;</li>
 *   <li>{@code type} set: the start or end of the nested type held by the item with that id.</li>
 * </ul>
 * The names and the byte and JSON forms are Yjs's, so positions can be shared with Yjs peers (e.g. for awareness
 * cursors).
 *
 * @param type  id of the item that holds the (nested) type, when the position is at its start/end; else null
 * @param tname name of the root type, when the position is at its start/end; else null
 * @param item  id of the character the position is associated with; else null
 * @param assoc {@code >= 0}: associated with the character after the position (the default); {@code < 0}: with the
 *              character before it, so that typing at the position leaves it in front of the new text
 */
public record RelativePosition(ID type, String tname, ID item, int assoc) {
    private static final int KIND_ITEM = 0;
    private static final int KIND_ROOT = 1;
    private static final int KIND_NESTED = 2;

    public RelativePosition {
        if (type == null && tname == null && item == null) {
            throw new IllegalArgumentException("a relative position needs an item, a root type name or a type id");
        }
    }

    /** The position before index {@code index} of {@code type}, associated with the character after it. */
    public static RelativePosition fromIndex(AbstractType type, int index) {
        return fromIndex(type, index, 0);
    }

    /**
     * The position at {@code index} of {@code type} (Yjs createRelativePositionFromTypeIndex). With {@code assoc < 0}
     * it sticks to the character before the index; an index past the end means the end of the type.
     */
    public static RelativePosition fromIndex(AbstractType type, int index, int assoc) {
        type.requireIntegrated();
        if (index < 0) {
            throw new IndexOutOfBoundsException("negative index " + index);
        }
        if (assoc < 0) {
            // associated with the character to the left, or with the start of the type
            if (index == 0) {
                return of(type, null, assoc);
            }
            index--;
        }
        for (Item t = type.start; t != null; t = t.right) {
            if (t.visible()) {
                if (t.length > index) {
                    return of(type, new ID(t.id.client(), t.id.clock() + index), assoc);
                }
                index -= t.length;
            }
            if (t.right == null && assoc < 0) {
                // left-associated at the end: the last id of the list, even if it is deleted
                return of(type, t.lastId(), assoc);
            }
        }
        return of(type, null, assoc);
    }

    private static RelativePosition of(AbstractType type, ID item, int assoc) {
        if (type.item == null) {
            return new RelativePosition(null, type.rootName(), item, assoc);
        }
        return new RelativePosition(type.item.id, null, item, assoc);
    }

    /**
     * The index this position has in {@code doc} now, following content that undo re-created; null when the
     * position's content has not arrived yet or was garbage collected.
     */
    public AbsolutePosition toAbsolute(Doc doc) {
        return toAbsolute(doc, true);
    }

    /**
     * Yjs createAbsolutePositionFromRelativePosition. With {@code followUndoneDeletions} a position inside
     * content that was deleted and brought back by this peer's undo moves to the re-created copy; only this peer
     * knows about that link (yjs #638), so positions compared across peers should pass false.
     */
    public AbsolutePosition toAbsolute(Doc doc, boolean followUndoneDeletions) {
        StructStore store = doc.store;
        if (item != null) {
            if (store.getState(item.client()) <= item.clock()) {
                return null;
            }
            AbstractStruct struct;
            int diff;
            if (followUndoneDeletions) {
                Redo.Found found = Redo.followRedone(store, item);
                struct = found.struct();
                diff = found.diff();
            } else {
                struct = store.find(item);
                diff = item.clock() - struct.id.clock();
            }
            if (!(struct instanceof Item right)) {
                return null;
            }
            AbstractType parent = (AbstractType) right.parent;
            int index = 0;
            if (parent.item == null || !parent.item.isDeleted()) {
                // a deleted character collapses to where it was; left association counts the character itself
                index = right.isDeleted() || !right.countable() ? 0 : diff + (assoc >= 0 ? 0 : 1);
                for (Item n = right.left; n != null; n = n.left) {
                    if (n.visible()) {
                        index += n.length;
                    }
                }
            }
            return new AbsolutePosition(parent, index, assoc);
        }
        AbstractType t;
        if (tname != null) {
            t = doc.getRoot(tname);
        } else {
            if (store.getState(type.client()) <= type.clock()) {
                return null; // the type has not arrived yet
            }
            AbstractStruct struct = followUndoneDeletions ? Redo.followRedone(store, type).struct() : store.find(type);
            if (struct instanceof Item i && i.content instanceof ContentType ct) {
                t = ct.type;
            } else {
                return null; // garbage collected
            }
        }
        return new AbsolutePosition(t, assoc >= 0 ? t.length : 0, assoc);
    }

    /** Yjs encodeRelativePosition: a kind tag (0 item, 1 root name, 2 type id), its value, then assoc. */
    public byte[] encode() {
        Encoder encoder = new Encoder(16);
        if (item != null) {
            encoder.writeVarUint(KIND_ITEM);
            writeId(encoder, item);
        } else if (tname != null) {
            encoder.writeUint8(KIND_ROOT);
            encoder.writeVarString(tname);
        } else {
            encoder.writeUint8(KIND_NESTED);
            writeId(encoder, type);
        }
        encoder.writeVarInt(assoc);
        return encoder.toByteArray();
    }

    private static void writeId(Encoder encoder, ID id) {
        encoder.writeVarUint(id.client());
        encoder.writeVarUint(id.clock());
    }

    /**
     * Yjs decodeRelativePosition. A missing assoc means 0, and bytes after it are ignored, as in Yjs; an unknown
     * kind or truncated input throws {@link UpdateFormatException}.
     */
    public static RelativePosition decode(byte[] bytes) {
        Decoder decoder = new Decoder(bytes);
        try {
            ID type = null;
            String tname = null;
            ID item = null;
            long kind = decoder.readVarUint();
            if (kind == KIND_ITEM) {
                item = readId(decoder);
            } else if (kind == KIND_ROOT) {
                tname = decoder.readVarString();
            } else if (kind == KIND_NESTED) {
                type = readId(decoder);
            } else {
                throw new UpdateFormatException("malformed relative position: unknown kind " + kind, 0);
            }
            int assoc = 0;
            if (decoder.hasContent()) {
                int at = decoder.position();
                long a = decoder.readVarInt();
                if (a == Long.MIN_VALUE) {
                    a = 0; // JavaScript's -0, which Yjs treats as >= 0
                }
                if (a < Integer.MIN_VALUE || a > Integer.MAX_VALUE) {
                    throw new UpdateFormatException("malformed relative position: assoc out of range: " + a, at);
                }
                assoc = (int) a;
            }
            return new RelativePosition(type, tname, item, assoc);
        } catch (DecodingException e) {
            throw new UpdateFormatException("malformed relative position: " + e.getMessage(), e.offset(), e);
        }
    }

    private static ID readId(Decoder decoder) {
        long client = decoder.readVarUint();
        return new ID(client, decoder.readVarUintAsInt("clock"));
    }

    /**
     * The JSON form of Yjs relativePositionToJSON: {@code type} and {@code item} as {@code {"client", "clock"}}
     * objects, {@code tname}, and {@code assoc}; absent parts (and an empty tname, as JavaScript skips it) are left
     * out.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (type != null) {
            json.put("type", idToJson(type));
        }
        if (tname != null && !tname.isEmpty()) {
            json.put("tname", tname);
        }
        if (item != null) {
            json.put("item", idToJson(item));
        }
        json.put("assoc", assoc);
        return json;
    }

    private static Map<String, Object> idToJson(ID id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", id.client());
        m.put("clock", id.clock());
        return m;
    }

    /** Yjs createRelativePositionFromJSON; a missing assoc means 0. */
    public static RelativePosition fromJson(Map<String, ?> json) {
        Object tname = json.get("tname");
        if (tname != null && !(tname instanceof String)) {
            throw new IllegalArgumentException("relative position: \"tname\" must be a string, not " + tname);
        }
        Object assoc = json.get("assoc");
        int a = assoc == null ? 0 : (int) integral(assoc, "assoc", Integer.MIN_VALUE, Integer.MAX_VALUE);
        return new RelativePosition(idFromJson(json.get("type"), "type"), (String) tname,
                idFromJson(json.get("item"), "item"), a);
    }

    private static ID idFromJson(Object v, String field) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(
                    "relative position: \"" + field + "\" must be {client, clock}, not " + v);
        }
        return new ID(integral(m.get("client"), field + ".client", 0, Decoder.MAX_SAFE_INTEGER),
                (int) integral(m.get("clock"), field + ".clock", 0, Integer.MAX_VALUE));
    }

    private static long integral(Object v, String field, long min, long max) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            long l = n.longValue();
            if (d == l && l >= min && l <= max) {
                return l;
            }
        }
        throw new IllegalArgumentException("relative position: \"" + field + "\" must be an integer in " + min + ".."
                + max + ", not " + v);
    }
}
