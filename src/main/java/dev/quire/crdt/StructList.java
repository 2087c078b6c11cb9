package dev.quire.crdt;

import java.util.Arrays;

/**
 * One client's structs, ordered by clock and contiguous (each starts where the previous ends): Yjs keeps a plain
 * array per client. Positions are global indexes so that the algorithms read like Yjs's.
 */
final class StructList {
    private AbstractStruct[] a = new AbstractStruct[8];
    private int size;

    int size() {
        return size;
    }

    AbstractStruct get(int i) {
        return a[i];
    }

    AbstractStruct last() {
        return a[size - 1];
    }

    void set(int i, AbstractStruct s) {
        a[i] = s;
    }

    void add(AbstractStruct s) {
        if (size == a.length) {
            a = Arrays.copyOf(a, size * 2);
        }
        a[size++] = s;
    }

    void insert(int i, AbstractStruct s) {
        if (size == a.length) {
            a = Arrays.copyOf(a, size * 2);
        }
        System.arraycopy(a, i, a, i + 1, size - i);
        a[i] = s;
        size++;
    }

    void remove(int from, int count) {
        System.arraycopy(a, from + count, a, from, size - from - count);
        Arrays.fill(a, size - count, size, null);
        size -= count;
    }

    /** Index of the struct that contains {@code clock} (Yjs findIndexSS, including its pivot guess). */
    int findIndex(int clock) {
        int left = 0;
        int right = size - 1;
        AbstractStruct mid = a[right];
        int midClock = mid.id.clock();
        if (midClock == clock) {
            return right;
        }
        int midIndex = (int) (((long) clock * right) / Math.max(1L, (long) midClock + mid.length - 1));
        if (midIndex < 0 || midIndex > right) {
            midIndex = (left + right) >>> 1;
        }
        while (left <= right) {
            mid = a[midIndex];
            midClock = mid.id.clock();
            if (midClock <= clock) {
                if (clock < midClock + mid.length) {
                    return midIndex;
                }
                left = midIndex + 1;
            } else {
                right = midIndex - 1;
            }
            midIndex = (left + right) >>> 1;
        }
        throw new IllegalStateException("no struct contains clock " + clock);
    }
}
