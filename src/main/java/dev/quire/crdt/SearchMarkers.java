package dev.quire.crdt;

import java.util.ArrayList;
import java.util.List;

/**
 * Remembered (item, index) pairs that speed up index lookups in a list (Yjs ArraySearchMarker). They are part of
 * the algorithm's observable behaviour, not only a cache: where a lookup lands among deleted items decides an
 * insertion's origin, and so the encoded bytes. Quire keeps them exactly as Yjs does.
 */
final class SearchMarkers {
    private static final int MAX = 80;

    static final class Marker {
        Item p;
        int index;
        long timestamp;

        Marker(Item p, int index, long timestamp) {
            p.setMarker(true);
            this.p = p;
            this.index = index;
            this.timestamp = timestamp;
        }
    }

    private final List<Marker> markers = new ArrayList<>();
    private long clock;

    /** Remote transactions invalidate the markers; item flags stay set, as in Yjs. */
    void clear() {
        markers.clear();
    }

    private void overwrite(Marker marker, Item p, int index) {
        marker.p.setMarker(false);
        marker.p = p;
        p.setMarker(true);
        marker.index = index;
        marker.timestamp = clock++;
    }

    private Marker markPosition(Item p, int index) {
        if (markers.size() >= MAX) {
            Marker oldest = markers.get(0);
            for (int i = 1; i < markers.size(); i++) {
                Marker b = markers.get(i);
                if (!(oldest.timestamp < b.timestamp)) {
                    oldest = b;
                }
            }
            overwrite(oldest, p, index);
            return oldest;
        }
        Marker m = new Marker(p, index, clock++);
        markers.add(m);
        return m;
    }

    /** Yjs findMarker: a marker at or before {@code index}, moved or created near it. */
    static Marker find(AbstractType type, int index) {
        SearchMarkers sm = type.searchMarkers;
        if (type.start == null || index == 0 || sm == null) {
            return null;
        }
        Marker marker = null;
        if (!sm.markers.isEmpty()) {
            marker = sm.markers.get(0);
            for (int i = 1; i < sm.markers.size(); i++) {
                Marker b = sm.markers.get(i);
                // Array.reduce((a, b) => |index - a| < |index - b| ? a : b): ties go to the later marker
                if (!(Math.abs(index - marker.index) < Math.abs(index - b.index))) {
                    marker = b;
                }
            }
        }
        Item p = type.start;
        int pindex = 0;
        if (marker != null) {
            p = marker.p;
            pindex = marker.index;
            marker.timestamp = sm.clock++;
        }
        if (pindex != index) {
            // Short walks (typing near a marker) are cheapest done directly; a long one means the edit is far
            // from every marker, and the position index (built on first need) answers in O(log n).
            Item walked = sm.walk(p, pindex, index, VERIFY ? Integer.MAX_VALUE : WALK_BUDGET);
            if (walked != null && !VERIFY) {
                p = walked;
                pindex = sm.walkIndex;
            } else {
                Item q = sm.landing(type.index(), pindex < index, index);
                int qindex = sm.landingIndex;
                if (VERIFY && (walked != q || sm.walkIndex != qindex)) {
                    throw new IllegalStateException("position index disagrees with the list walk at " + index);
                }
                p = q;
                pindex = qindex;
            }
        }
        // make sure p can't be merged with left, because that would screw up everything: if p.left is the same
        // client's previous run, go to its start
        while (p.left != null && p.left.id.client() == p.id.client()
                && p.left.id.clock() + p.left.length == p.id.clock()) {
            p = p.left;
            if (p.visible()) {
                pindex -= p.length;
            }
        }
        if (marker != null && Math.abs(marker.index - pindex) < ((AbstractType) p.parent).length / (double) MAX) {
            sm.overwrite(marker, p, pindex);
            return marker;
        }
        return sm.markPosition(p, pindex);
    }

    /** Check every index lookup against Yjs's walk (tests switch this on). */
    static final boolean VERIFY = Boolean.getBoolean("quire.crdt.verifyIndex");
    /** Visible index of the item the last {@link #landing} / {@link #walk} returned. */
    private int landingIndex;
    private int walkIndex;

    /**
     * Where Yjs's walk from a marker lands, found with the position index. Walking right from before
     * {@code index}, the walk stops on the item containing {@code index}, or, when {@code index} is a boundary,
     * on the item right after the visible item ending there (unless that item is the list's last). Walking left
     * from after {@code index}, it stops on the visible item containing {@code index}.
     */
    private Item landing(ItemIndex ix, boolean forward, int index) {
        if (forward) {
            Item x = ix.findVisible(index - 1);
            int xStart = ix.foundStart;
            if (xStart + x.length > index || x.right == null) {
                landingIndex = (xStart);
                return x;
            }
            landingIndex = (index);
            return x.right;
        }
        Item z = ix.findVisible(index);
        landingIndex = (ix.foundStart);
        return z;
    }

    /** Items a lookup may walk before it asks the position index instead. */
    private static final int WALK_BUDGET = Integer.getInteger("quire.crdt.walkBudget", 16);

    /** Yjs's own walk (findMarker); null when it takes more than {@code budget} steps. */
    private Item walk(Item p, int pindex, int index, int budget) {
        while (p.right != null && pindex < index) {
            if (p.visible()) {
                if (index < pindex + p.length) {
                    break;
                }
                pindex += p.length;
            }
            p = p.right;
            if (--budget < 0) {
                return null;
            }
        }
        while (p.left != null && pindex > index) {
            p = p.left;
            if (p.visible()) {
                pindex -= p.length;
            }
            if (--budget < 0) {
                return null;
            }
        }
        walkIndex = (pindex);
        return p;
    }

    /** Yjs updateMarkerChanges: shift markers after an insertion (len > 0) or deletion (len < 0) at index. */
    void update(int index, int len) {
        for (int i = markers.size() - 1; i >= 0; i--) {
            Marker m = markers.get(i);
            if (len > 0) {
                // a marker must point to a visible item: move it left past deleted and non-countable items
                Item p = m.p;
                p.setMarker(false);
                while (p != null && (p.isDeleted() || !p.countable())) {
                    p = p.left;
                    if (p != null && p.visible()) {
                        m.index -= p.length;
                    }
                }
                if (p == null || p.marker()) {
                    // two markers would point to the same item: drop this one
                    markers.remove(i);
                    continue;
                }
                m.p = p;
                p.setMarker(true);
            }
            if (index < m.index || (len > 0 && index == m.index)) {
                m.index = Math.max(index, m.index + len);
            }
        }
    }

    /** {@code right} was merged into {@code left}: markers on it move to {@code left}. */
    void itemMerged(Item left, Item right) {
        for (Marker marker : markers) {
            if (marker.p == right) {
                marker.p = left;
                if (left.visible()) {
                    marker.index -= left.length;
                }
            }
        }
    }

    /** The marker with the highest index (Yjs typeListPushGenerics), or null. */
    Marker highest() {
        Marker best = null;
        for (Marker m : markers) {
            if (best == null ? m.index > 0 : m.index > best.index) {
                best = m;
            }
        }
        return best;
    }
}
