package dev.quire.crdt;

import dev.quire.crdt.encoding.DecodingException;

/**
 * Decodes the structs of a v1 update one at a time (Yjs readClientsStructRefs and LazyStructReader). Items come
 * out unintegrated: their parent is an {@link ID}, a root type's name, or null (to be taken from a neighbour).
 * Structurally invalid input (bad tags, zero lengths, clocks out of range, references to the struct's own future)
 * is rejected here, before anything touches a document.
 */
final class StructReader {
    private final UpdateDecoder decoder;
    private final boolean filterSkips;
    private int clientsLeft;
    private int structsLeft;
    private long client;
    private long clock;
    AbstractStruct curr;

    /** Reads all structs of a whole update, client after client. */
    StructReader(UpdateDecoder decoder, boolean filterSkips) {
        this.decoder = decoder;
        this.filterSkips = filterSkips;
        this.clientsLeft = decoder.rest().readVarUintAsInt("number of clients");
        next();
    }

    private StructReader(UpdateDecoder decoder, long client, int clock, int structs) {
        this.decoder = decoder;
        this.filterSkips = false;
        this.client = client;
        this.clock = clock;
        this.structsLeft = structs;
        next();
    }

    /** Reads the {@code structs} structs of one client whose header has been read already. */
    static StructReader single(UpdateDecoder decoder, long client, int clock, int structs) {
        return new StructReader(decoder, client, clock, structs);
    }

    AbstractStruct next() {
        do {
            curr = readNext();
        } while (filterSkips && curr instanceof Skip);
        return curr;
    }

    private AbstractStruct readNext() {
        while (structsLeft == 0) {
            if (clientsLeft == 0) {
                return null;
            }
            clientsLeft--;
            structsLeft = decoder.rest().readVarUintAsInt("number of structs");
            client = decoder.readClient();
            clock = decoder.rest().readVarUintAsInt("clock");
        }
        structsLeft--;
        return readStruct(decoder, client, clock());
    }

    private int clock() {
        return (int) clock;
    }

    private AbstractStruct readStruct(UpdateDecoder d, long client, int clock) {
        int at = d.rest().position();
        int info = d.readInfo();
        AbstractStruct s;
        if (info == Skip.REF) {
            s = new Skip(new ID(client, clock), d.rest().readVarUintAsInt("skip length"));
        } else if ((info & 0x1F) == GC.REF) {
            s = new GC(new ID(client, clock), d.readLen());
        } else {
            ID id = new ID(client, clock);
            boolean cantCopyParentInfo = (info & (0x80 | 0x40)) == 0;
            ID origin = (info & 0x80) != 0 ? d.readLeftId() : null;
            ID rightOrigin = (info & 0x40) != 0 ? d.readRightId() : null;
            Object parent = null;
            String parentSub = null;
            if (cantCopyParentInfo) {
                parent = d.readParentInfo() ? d.readString() : d.readLeftId();
                if ((info & 0x20) != 0) {
                    parentSub = d.readString();
                }
            }
            Content content = readContent(d, info);
            checkOwnReference(origin, id, at);
            checkOwnReference(rightOrigin, id, at);
            if (parent instanceof ID p) {
                checkOwnReference(p, id, at);
            }
            s = new Item(id, null, origin, null, rightOrigin, parent, parentSub, content);
        }
        if (s.length <= 0) {
            throw new DecodingException("struct " + s.id + " has length " + s.length, at);
        }
        if ((long) clock + s.length > Integer.MAX_VALUE) {
            throw new DecodingException("clock overflow at struct " + s.id, at);
        }
        this.clock = (long) clock + s.length;
        return s;
    }

    /** A struct can refer to earlier clocks of its own client only. */
    private static void checkOwnReference(ID ref, ID self, int at) {
        if (ref != null && ref.client() == self.client() && ref.clock() >= self.clock()) {
            throw new DecodingException("struct " + self + " refers to its own client's future clock " + ref, at);
        }
    }

    static Content readContent(UpdateDecoder d, int info) {
        int at = d.rest().position();
        int ref = info & 0x1F;
        switch (ref) {
            case 1:
                return new ContentDeleted(d.readLen());
            case 2: {
                int len = d.readLen();
                java.util.List<Object> cs = new java.util.ArrayList<>(Math.min(len, d.rest().remaining()));
                for (int i = 0; i < len; i++) {
                    cs.add(d.readJson());
                }
                return new ContentJson(cs);
            }
            case 3:
                return new ContentBinary(d.readBuf());
            case 4:
                return new ContentString(d.readString());
            case 5:
                return new ContentEmbed(d.readJson());
            case 6:
                return new ContentFormat(d.readKey(), d.readJson());
            case 7:
                return new ContentType(readType(d));
            case 8: {
                int len = d.readLen();
                java.util.List<Object> cs = new java.util.ArrayList<>(Math.min(len, d.rest().remaining()));
                for (int i = 0; i < len; i++) {
                    cs.add(d.readAny());
                }
                return new ContentAny(cs);
            }
            case 9: {
                String guid = d.readString();
                return new ContentDoc(guid, d.readAny());
            }
            default:
                throw new DecodingException("unknown content type " + ref, at);
        }
    }

    private static AbstractType readType(UpdateDecoder d) {
        int at = d.rest().position();
        int typeRef = d.readTypeRef();
        return switch (typeRef) {
            case 0 -> new YArray();
            case 1 -> new YMap();
            case 2 -> new YText();
            case OpaqueType.XML_ELEMENT, OpaqueType.XML_HOOK -> new OpaqueType(typeRef, d.readKey());
            case OpaqueType.XML_FRAGMENT, OpaqueType.XML_TEXT -> new OpaqueType(typeRef, null);
            default -> throw new DecodingException("unknown type ref " + typeRef, at);
        };
    }
}
