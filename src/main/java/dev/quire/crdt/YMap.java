package dev.quire.crdt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A shared map from string keys to JSON-like values, byte arrays or nested types (Yjs types/YMap.js). */
public final class YMap extends AbstractType {
    @Override
    AbstractType copyEmpty() {
        return new YMap();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(1);
    }

    @Override
    void callObserver(Transaction transaction, Set<String> parentSubs) {
        callTypeObservers(transaction, new YEvent(this, transaction, parentSubs));
    }

    public void set(String key, Object value) {
        requireIntegrated();
        doc.transact(t -> mapSet(t, key, value));
    }

    public Object get(String key) {
        return mapGet(key);
    }

    public boolean has(String key) {
        return mapHas(key);
    }

    public void delete(String key) {
        requireIntegrated();
        doc.transact(t -> mapDelete(t, key));
    }

    public Set<String> keys() {
        return mapGetAll().keySet();
    }

    public int size() {
        return mapGetAll().size();
    }

    public Map<String, Object> toMap() {
        return mapGetAll();
    }

    @Override
    public Object toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        mapGetAll().forEach((k, v) -> out.put(k, toJsonValue(v)));
        return out;
    }
}
