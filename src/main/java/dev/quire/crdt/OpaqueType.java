package dev.quire.crdt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A nested type Quire does not model (XML element, fragment, hook or text from a Yjs peer). Its children are kept
 * and integrated like any type's, and it is re-encoded with the same type ref and name, so nothing is lost when a
 * document passes through Quire.
 */
public final class OpaqueType extends AbstractType {
    static final int XML_ELEMENT = 3;
    static final int XML_FRAGMENT = 4;
    static final int XML_HOOK = 5;
    static final int XML_TEXT = 6;

    private final int typeRef;
    private final String name;

    OpaqueType(int typeRef, String name) {
        this.typeRef = typeRef;
        this.name = name;
        if (typeRef == XML_TEXT) {
            // Yjs's XmlText is a YText and has search markers; the other XML types have none
            searchMarkers = new SearchMarkers();
        }
    }

    public int typeRef() {
        return typeRef;
    }

    /** The node name (XML element) or hook name, or null. */
    public String name() {
        return name;
    }

    @Override
    AbstractType copyEmpty() {
        return new OpaqueType(typeRef, name);
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(typeRef);
        if (typeRef == XML_ELEMENT || typeRef == XML_HOOK) {
            encoder.writeKey(name);
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", typeRef);
        if (name != null) {
            out.put("name", name);
        }
        return out;
    }
}
