package dev.quire.crdt;

import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.Encoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Merging and diffing updates without a document (Yjs utils/updates.js). */
final class MergeUpdates {
    private MergeUpdates() {
    }

    /** Collects structs per client run and writes the update header once the count is known. */
    private static final class LazyStructWriter {
        long currClient;
        int written;
        UpdateEncoder encoder = new UpdateEncoder();
        final List<Object[]> clientStructs = new ArrayList<>();

        void write(AbstractStruct struct, int offset) {
            if (written > 0 && currClient != struct.id.client()) {
                flush();
            }
            if (written == 0) {
                currClient = struct.id.client();
                encoder.writeClient(struct.id.client());
                encoder.rest().writeVarUint(struct.id.clock() + offset);
            }
            struct.write(encoder, offset);
            written++;
        }

        void flush() {
            if (written > 0) {
                clientStructs.add(new Object[] {written, encoder.toByteArray()});
                encoder = new UpdateEncoder();
                written = 0;
            }
        }

        /** Returns the final encoder, whose stream holds the structs part of the update. */
        UpdateEncoder finish() {
            flush();
            UpdateEncoder out = new UpdateEncoder();
            Encoder rest = out.rest();
            rest.writeVarUint(clientStructs.size());
            for (Object[] part : clientStructs) {
                rest.writeVarUint((Integer) part[0]);
                rest.writeBytes((byte[]) part[1]);
            }
            return out;
        }
    }

    /** The part of a struct from {@code diff} on, as a new struct (Yjs sliceStruct). */
    private static AbstractStruct sliceStruct(AbstractStruct left, int diff) {
        ID id = new ID(left.id.client(), left.id.clock() + diff);
        if (left instanceof GC) {
            return new GC(id, left.length - diff);
        }
        if (left instanceof Skip) {
            return new Skip(id, left.length - diff);
        }
        Item leftItem = (Item) left;
        return new Item(id, null, new ID(left.id.client(), left.id.clock() + diff - 1), null,
                leftItem.rightOrigin, leftItem.parent, leftItem.parentSub, leftItem.content.splice(diff));
    }

    private static final class CurrWrite {
        AbstractStruct struct;
        final int offset;

        CurrWrite(AbstractStruct struct, int offset) {
            this.struct = struct;
            this.offset = offset;
        }
    }

    static byte[] merge(List<byte[]> updates) {
        List<UpdateDecoder> updateDecoders = new ArrayList<>();
        List<StructReader> lazyStructDecoders = new ArrayList<>();
        for (byte[] u : updates) {
            UpdateDecoder d = new UpdateDecoder(new Decoder(u));
            updateDecoders.add(d);
            lazyStructDecoders.add(new StructReader(d, true));
        }
        CurrWrite currWrite = null;
        LazyStructWriter writer = new LazyStructWriter();
        // Yjs re-sorts all decoders (a stable sort) before every struct. Only the first decoder moves between two
        // sorts, so the same order comes from putting it back before the first decoder that does not sort below
        // it: O(log k) instead of O(k log k), same ties, same bytes.
        lazyStructDecoders.removeIf(dec -> dec.curr == null);
        lazyStructDecoders.sort(MergeUpdates::compareHeads);
        boolean sorted = true;
        while (true) {
            if (!sorted) {
                StructReader moved = lazyStructDecoders.remove(0);
                if (moved.curr != null) {
                    lazyStructDecoders.add(lowerBound(lazyStructDecoders, moved), moved);
                }
            }
            sorted = false;
            if (lazyStructDecoders.isEmpty()) {
                break;
            }
            StructReader currDecoder = lazyStructDecoders.get(0);
            long firstClient = currDecoder.curr.id.client();
            if (currWrite != null) {
                AbstractStruct curr = currDecoder.curr;
                boolean iterated = false;
                // skip structs that were written already
                while (curr != null && curr.id.clock() + curr.length <= currWrite.struct.id.clock() + currWrite.struct.length
                        && curr.id.client() >= currWrite.struct.id.client()) {
                    curr = currDecoder.next();
                    iterated = true;
                }
                if (curr == null
                        || curr.id.client() != firstClient
                        || (iterated && curr.id.clock() > currWrite.struct.id.clock() + currWrite.struct.length)) {
                    continue;
                }
                if (firstClient != currWrite.struct.id.client()) {
                    writer.write(currWrite.struct, currWrite.offset);
                    currWrite = new CurrWrite(curr, 0);
                    currDecoder.next();
                } else {
                    if (currWrite.struct.id.clock() + currWrite.struct.length < curr.id.clock()) {
                        // a gap: fill it with a Skip
                        if (currWrite.struct instanceof Skip) {
                            currWrite.struct.length = curr.id.clock() + curr.length - currWrite.struct.id.clock();
                        } else {
                            writer.write(currWrite.struct, currWrite.offset);
                            int diff = curr.id.clock() - currWrite.struct.id.clock() - currWrite.struct.length;
                            Skip skip = new Skip(new ID(firstClient, currWrite.struct.id.clock() + currWrite.struct.length), diff);
                            currWrite = new CurrWrite(skip, 0);
                        }
                    } else {
                        int diff = currWrite.struct.id.clock() + currWrite.struct.length - curr.id.clock();
                        if (diff > 0) {
                            if (currWrite.struct instanceof Skip) {
                                // prefer to slice the Skip because the other struct might contain more information
                                currWrite.struct.length -= diff;
                            } else {
                                curr = sliceStruct(curr, diff);
                            }
                        }
                        if (!currWrite.struct.mergeWith(curr)) {
                            writer.write(currWrite.struct, currWrite.offset);
                            currWrite = new CurrWrite(curr, 0);
                            currDecoder.next();
                        }
                    }
                }
            } else {
                currWrite = new CurrWrite(currDecoder.curr, 0);
                currDecoder.next();
            }
            for (AbstractStruct next = currDecoder.curr;
                 next != null && next.id.client() == firstClient
                         && next.id.clock() == currWrite.struct.id.clock() + currWrite.struct.length
                         && !(next instanceof Skip);
                 next = currDecoder.next()) {
                writer.write(currWrite.struct, currWrite.offset);
                currWrite = new CurrWrite(next, 0);
            }
        }
        if (currWrite != null) {
            writer.write(currWrite.struct, currWrite.offset);
        }
        UpdateEncoder out = writer.finish();
        List<DeleteSet> dss = new ArrayList<>();
        for (UpdateDecoder d : updateDecoders) {
            dss.add(DeleteSet.read(d));
        }
        DeleteSet.merge(dss).write(out);
        return out.toByteArray();
    }

    /** Yjs's order for merging: the highest client first; within a client the lowest clock, Skips last. */
    private static int compareHeads(StructReader dec1, StructReader dec2) {
        if (dec1.curr.id.client() == dec2.curr.id.client()) {
            int clockDiff = Integer.compare(dec1.curr.id.clock(), dec2.curr.id.clock());
            if (clockDiff == 0) {
                return dec1.curr.getClass() == dec2.curr.getClass() ? 0 : dec1.curr instanceof Skip ? 1 : -1;
            }
            return clockDiff;
        }
        return Long.compare(dec2.curr.id.client(), dec1.curr.id.client());
    }

    /** The first position whose decoder does not sort below {@code x}. */
    private static int lowerBound(List<StructReader> sortedDecoders, StructReader x) {
        int lo = 0;
        int hi = sortedDecoders.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareHeads(sortedDecoders.get(mid), x) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static byte[] diff(byte[] update, StateVector state) {
        LazyStructWriter writer = new LazyStructWriter();
        UpdateDecoder decoder = new UpdateDecoder(new Decoder(update));
        StructReader reader = new StructReader(decoder, false);
        while (reader.curr != null) {
            AbstractStruct curr = reader.curr;
            long currClient = curr.id.client();
            int svClock = state.get(currClient);
            if (curr instanceof Skip) {
                reader.next();
                continue;
            }
            if (curr.id.clock() + curr.length > svClock) {
                writer.write(curr, Math.max(svClock - curr.id.clock(), 0));
                reader.next();
                while (reader.curr != null && reader.curr.id.client() == currClient) {
                    writer.write(reader.curr, 0);
                    reader.next();
                }
            } else {
                // read until something new comes up
                while (reader.curr != null && reader.curr.id.client() == currClient
                        && reader.curr.id.clock() + reader.curr.length <= svClock) {
                    reader.next();
                }
            }
        }
        UpdateEncoder out = writer.finish();
        DeleteSet.read(decoder).write(out);
        return out.toByteArray();
    }

    static Updates.UpdateMeta meta(byte[] update) {
        StructReader reader = new StructReader(new UpdateDecoder(new Decoder(update)), false);
        Map<Long, Integer> from = new HashMap<>();
        Map<Long, Integer> to = new HashMap<>();
        for (AbstractStruct curr = reader.curr; curr != null; curr = reader.next()) {
            // min/max rather than first/last: an update that names a client twice must not hide clocks it carries
            from.merge(curr.id.client(), curr.id.clock(), Math::min);
            to.merge(curr.id.client(), curr.id.clock() + curr.length, Math::max);
        }
        return new Updates.UpdateMeta(from, to);
    }

    static byte[] stateVectorFromUpdate(byte[] update) {
        StructReader reader = new StructReader(new UpdateDecoder(new Decoder(update)), false);
        AbstractStruct curr = reader.curr;
        List<long[]> entries = new ArrayList<>();
        if (curr != null) {
            long currClient = curr.id.client();
            boolean stopCounting = curr.id.clock() != 0; // must start at 0
            int currClock = stopCounting ? 0 : curr.id.clock() + curr.length;
            for (; curr != null; curr = reader.next()) {
                if (currClient != curr.id.client()) {
                    if (currClock != 0) {
                        entries.add(new long[] {currClient, currClock});
                    }
                    currClient = curr.id.client();
                    currClock = 0;
                    stopCounting = curr.id.clock() != 0;
                }
                if (curr instanceof Skip) {
                    stopCounting = true;
                }
                if (!stopCounting) {
                    currClock = curr.id.clock() + curr.length;
                }
            }
            if (currClock != 0) {
                entries.add(new long[] {currClient, currClock});
            }
        }
        // written in the update's order, not sorted (as Yjs does here)
        Encoder enc = new Encoder();
        enc.writeVarUint(entries.size());
        for (long[] e : entries) {
            enc.writeVarUint(e[0]);
            enc.writeVarUint(e[1]);
        }
        return enc.toByteArray();
    }
}
