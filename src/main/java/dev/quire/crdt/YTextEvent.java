package dev.quire.crdt;

import dev.quire.crdt.encoding.Any;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A change to a {@link YText}: {@link #delta()} says what was inserted, deleted and reformatted. */
public final class YTextEvent extends YEvent {
    private List<Map<String, Object>> delta;

    YTextEvent(YText target, Transaction transaction, Set<String> subs) {
        super(target, transaction, subs);
    }

    /**
     * The change as a Quill-style delta ({@code retain}/{@code insert}/{@code delete}, with {@code attributes}).
     * Computed on first use, as in Yjs (YTextEvent.delta), including its removal of redundant format marks.
     */
    public List<Map<String, Object>> delta() {
        if (delta == null) {
            Doc doc = target().doc;
            List<Map<String, Object>> out = new ArrayList<>();
            doc.transact(t -> {
                new DeltaBuilder(t, out).run();
                return null;
            }, null, true);
            delta = out;
        }
        return delta;
    }

    private final class DeltaBuilder {
        private final Transaction transaction;
        private final List<Map<String, Object>> delta;
        private final Map<String, Object> currentAttributes = new LinkedHashMap<>();
        private final Map<String, Object> oldAttributes = new LinkedHashMap<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private String action;
        private Object insert = "";
        private int retain;
        private int deleteLen;

        DeltaBuilder(Transaction transaction, List<Map<String, Object>> delta) {
            this.transaction = transaction;
            this.delta = delta;
        }

        private void addOp() {
            if (action == null) {
                return;
            }
            Map<String, Object> op = null;
            switch (action) {
                case "delete" -> {
                    if (deleteLen > 0) {
                        op = new LinkedHashMap<>();
                        op.put("delete", deleteLen);
                    }
                    deleteLen = 0;
                }
                case "insert" -> {
                    if (!(insert instanceof String s) || !s.isEmpty()) {
                        op = new LinkedHashMap<>();
                        op.put("insert", insert);
                        if (!currentAttributes.isEmpty()) {
                            Map<String, Object> a = new LinkedHashMap<>();
                            currentAttributes.forEach((k, v) -> {
                                if (v != null) {
                                    a.put(k, v);
                                }
                            });
                            op.put("attributes", a);
                        }
                    }
                    insert = "";
                }
                case "retain" -> {
                    if (retain > 0) {
                        op = new LinkedHashMap<>();
                        op.put("retain", retain);
                        if (!attributes.isEmpty()) {
                            op.put("attributes", new LinkedHashMap<>(attributes));
                        }
                    }
                    retain = 0;
                }
                default -> throw new IllegalStateException(action);
            }
            if (op != null) {
                delta.add(op);
            }
            action = null;
        }

        private void switchTo(String a) {
            if (!a.equals(action)) {
                addOp();
                action = a;
            }
        }

        void run() {
            for (Item item = target().start; item != null; item = item.right) {
                Content c = item.content;
                if (c instanceof ContentType || c instanceof ContentEmbed) {
                    if (adds(item)) {
                        if (!deletes(item)) {
                            addOp();
                            action = "insert";
                            insert = c.values().get(0);
                            addOp();
                        }
                    } else if (deletes(item)) {
                        switchTo("delete");
                        deleteLen += 1;
                    } else if (!item.isDeleted()) {
                        switchTo("retain");
                        retain += 1;
                    }
                } else if (c instanceof ContentString s) {
                    if (adds(item)) {
                        if (!deletes(item)) {
                            switchTo("insert");
                            insert = ((String) insert) + s.str();
                        }
                    } else if (deletes(item)) {
                        switchTo("delete");
                        deleteLen += item.length;
                    } else if (!item.isDeleted()) {
                        switchTo("retain");
                        retain += item.length;
                    }
                } else if (c instanceof ContentFormat f) {
                    formatItem(item, f);
                }
            }
            addOp();
            while (!delta.isEmpty()) {
                Map<String, Object> last = delta.get(delta.size() - 1);
                if (last.containsKey("retain") && !last.containsKey("attributes")) {
                    delta.remove(delta.size() - 1); // a trailing plain retain says nothing
                } else {
                    break;
                }
            }
        }

        private void formatItem(Item item, ContentFormat f) {
            String key = f.key;
            Object value = f.value;
            if (adds(item)) {
                if (!deletes(item)) {
                    Object curVal = currentAttributes.get(key);
                    if (!Any.equalAttrs(curVal, value)) {
                        if ("retain".equals(action)) {
                            addOp();
                        }
                        if (Any.equalAttrs(value, oldAttributes.get(key))) {
                            attributes.remove(key);
                        } else {
                            attributes.put(key, value);
                        }
                    } else if (value != null) {
                        item.delete(transaction);
                    }
                }
            } else if (deletes(item)) {
                oldAttributes.put(key, value);
                Object curVal = currentAttributes.get(key);
                if (!Any.equalAttrs(curVal, value)) {
                    if ("retain".equals(action)) {
                        addOp();
                    }
                    attributes.put(key, curVal);
                }
            } else if (!item.isDeleted()) {
                oldAttributes.put(key, value);
                if (attributes.containsKey(key)) {
                    Object attr = attributes.get(key);
                    if (!Any.equalAttrs(attr, value)) {
                        if ("retain".equals(action)) {
                            addOp();
                        }
                        if (value == null) {
                            attributes.remove(key);
                        } else {
                            attributes.put(key, value);
                        }
                    } else if (attr != null) {
                        // this will be cleaned up automatically by the contextless cleanup function
                        item.delete(transaction);
                    }
                }
            }
            if (!item.isDeleted()) {
                if ("insert".equals(action)) {
                    addOp();
                }
                if (value == null) {
                    currentAttributes.remove(key);
                } else {
                    currentAttributes.put(key, value);
                }
            }
        }
    }
}
