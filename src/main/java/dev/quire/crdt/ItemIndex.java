package dev.quire.crdt;

import java.util.Arrays;

/**
 * An order-statistic index over a type's item list: which item holds visible unit {@code k}, and at which visible
 * index an item starts, in O(log n) instead of a walk along the list. Items are kept in list order in leaves of at
 * most {@link #LEAF_MAX}; a Fenwick tree sums the visible length of each leaf.
 *
 * <p>The index only answers questions faster; the answers are the ones Yjs's walks give (see
 * {@link SearchMarkers#find}), so the encoded bytes do not change.
 */
final class ItemIndex {
    static final int LEAF_MAX = 128;

    static final class Leaf {
        final Item[] items = new Item[LEAF_MAX];
        /** Visible length of each item, kept here so that scans never touch the items (cache misses). */
        final int[] vlen = new int[LEAF_MAX];
        int count;
        /** Position in {@link #leaves}. */
        int pos;
        int visible;
    }

    private Leaf[] leaves = new Leaf[4];
    private int leafCount;
    private int[] tree = new int[5]; // Fenwick tree over leaf visible lengths, 1-based
    /** Set by {@link #findVisible}: the visible index where the returned item starts. */
    int foundStart;

    private static int visibleLength(Item item) {
        return item.visible() ? item.length : 0;
    }

    /** Builds the index of a type's current list. */
    static ItemIndex build(AbstractType type) {
        ItemIndex ix = new ItemIndex();
        Leaf leaf = null;
        for (Item n = type.start; n != null; n = n.right) {
            if (leaf == null || leaf.count == LEAF_MAX / 2) {
                leaf = ix.appendLeaf();
            }
            int v = visibleLength(n);
            leaf.vlen[leaf.count] = v;
            leaf.items[leaf.count++] = n;
            leaf.visible += v;
            n.leaf = leaf;
        }
        ix.rebuildTree();
        return ix;
    }

    private Leaf appendLeaf() {
        Leaf leaf = new Leaf();
        if (leafCount == leaves.length) {
            leaves = Arrays.copyOf(leaves, leafCount * 2);
        }
        leaf.pos = leafCount;
        leaves[leafCount++] = leaf;
        return leaf;
    }

    private void rebuildTree() {
        if (tree.length < leafCount + 1) {
            tree = new int[leaves.length + 1];
        } else {
            Arrays.fill(tree, 0);
        }
        for (int i = 0; i < leafCount; i++) {
            int j = i + 1;
            tree[j] += leaves[i].visible;
            int parent = j + (j & -j);
            if (parent <= leafCount) {
                tree[parent] += tree[j];
            }
        }
    }

    private void addToLeaf(Leaf leaf, int delta) {
        if (delta == 0) {
            return;
        }
        leaf.visible += delta;
        for (int j = leaf.pos + 1; j <= leafCount; j += j & -j) {
            tree[j] += delta;
        }
    }

    /** Sum of the visible lengths of the leaves before {@code pos}. */
    private int prefix(int pos) {
        int s = 0;
        for (int j = pos; j > 0; j -= j & -j) {
            s += tree[j];
        }
        return s;
    }

    private static int slot(Leaf leaf, Item item) {
        Item[] items = leaf.items;
        for (int i = 0; i < leaf.count; i++) {
            if (items[i] == item) {
                return i;
            }
        }
        throw new IllegalStateException("item " + item.id + " is not in its index leaf");
    }

    /** Records {@code item}, just linked into the list after {@code left} (null: at the start). */
    void insertAfter(Item left, Item item) {
        Leaf leaf;
        int at;
        if (left == null) {
            leaf = leafCount == 0 ? appendLeafAndRebuild() : leaves[0];
            at = 0;
        } else {
            leaf = left.leaf;
            at = slot(leaf, left) + 1;
        }
        if (leaf.count == LEAF_MAX) {
            Leaf right = splitLeaf(leaf);
            if (at > leaf.count) {
                at -= leaf.count;
                leaf = right;
            }
        }
        System.arraycopy(leaf.items, at, leaf.items, at + 1, leaf.count - at);
        System.arraycopy(leaf.vlen, at, leaf.vlen, at + 1, leaf.count - at);
        int v = visibleLength(item);
        leaf.items[at] = item;
        leaf.vlen[at] = v;
        leaf.count++;
        item.leaf = leaf;
        addToLeaf(leaf, v);
    }

    private Leaf appendLeafAndRebuild() {
        Leaf leaf = appendLeaf();
        rebuildTree();
        return leaf;
    }

    /** Moves the upper half of a full leaf into a new leaf right after it. */
    private Leaf splitLeaf(Leaf leaf) {
        Leaf right = new Leaf();
        int half = leaf.count / 2;
        int moved = leaf.count - half;
        System.arraycopy(leaf.items, half, right.items, 0, moved);
        System.arraycopy(leaf.vlen, half, right.vlen, 0, moved);
        Arrays.fill(leaf.items, half, leaf.count, null);
        leaf.count = half;
        right.count = moved;
        int vis = 0;
        for (int i = 0; i < moved; i++) {
            right.items[i].leaf = right;
            vis += right.vlen[i];
        }
        right.visible = vis;
        leaf.visible -= vis;
        if (leafCount == leaves.length) {
            leaves = Arrays.copyOf(leaves, leafCount * 2);
        }
        System.arraycopy(leaves, leaf.pos + 1, leaves, leaf.pos + 2, leafCount - leaf.pos - 1);
        leaves[leaf.pos + 1] = right;
        leafCount++;
        for (int i = leaf.pos + 1; i < leafCount; i++) {
            leaves[i].pos = i;
        }
        rebuildTree();
        return right;
    }

    /** Forgets {@code item}, just unlinked from the list (merged into its left neighbour). */
    void remove(Item item) {
        Leaf leaf = item.leaf;
        int at = slot(leaf, item);
        int v = leaf.vlen[at];
        System.arraycopy(leaf.items, at + 1, leaf.items, at, leaf.count - at - 1);
        System.arraycopy(leaf.vlen, at + 1, leaf.vlen, at, leaf.count - at - 1);
        leaf.items[--leaf.count] = null;
        item.leaf = null;
        addToLeaf(leaf, -v);
        if (leaf.count == 0 && leafCount > 1) {
            System.arraycopy(leaves, leaf.pos + 1, leaves, leaf.pos, leafCount - leaf.pos - 1);
            leaves[--leafCount] = null;
            for (int i = leaf.pos; i < leafCount; i++) {
                leaves[i].pos = i;
            }
            rebuildTree();
        }
    }

    /** The visible length of {@code item} changed by {@code delta}. */
    void adjust(Item item, int delta) {
        Leaf leaf = item.leaf;
        leaf.vlen[slot(leaf, item)] += delta;
        addToLeaf(leaf, delta);
    }

    /** The visible index at which {@code item} starts (Yjs: the sum of visible lengths left of it). */
    int indexOf(Item item) {
        Leaf leaf = item.leaf;
        int s = prefix(leaf.pos);
        Item[] items = leaf.items;
        int[] vlen = leaf.vlen;
        for (int i = 0; i < leaf.count; i++) {
            if (items[i] == item) {
                return s;
            }
            s += vlen[i];
        }
        throw new IllegalStateException("item " + item.id + " is not in its index leaf");
    }

    /** The visible item holding unit {@code k} (0 ≤ k < length); sets {@link #foundStart}. */
    Item findVisible(int k) {
        // Fenwick descent: the last leaf position whose prefix sum is ≤ k
        int pos = 0;
        int rest = k;
        int step = Integer.highestOneBit(Math.max(1, leafCount));
        for (; step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= leafCount && tree[next] <= rest) {
                pos = next;
                rest -= tree[next];
            }
        }
        if (pos >= leafCount) {
            throw new IndexOutOfBoundsException("visible index " + k + " beyond the indexed content");
        }
        Leaf leaf = leaves[pos];
        int s = k - rest;
        int[] vlen = leaf.vlen;
        for (int i = 0; i < leaf.count; i++) {
            int len = vlen[i];
            if (rest < len) {
                foundStart = s;
                return leaf.items[i];
            }
            rest -= len;
            s += len;
        }
        throw new IllegalStateException("index leaf sums are inconsistent at visible index " + k);
    }

    int totalVisible() {
        return prefix(leafCount);
    }
}
