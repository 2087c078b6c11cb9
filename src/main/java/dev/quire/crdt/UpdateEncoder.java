package dev.quire.crdt;

import dev.quire.crdt.encoding.Any;
import dev.quire.crdt.encoding.Encoder;
import dev.quire.crdt.encoding.Json;

/** Writes the fields of Yjs update format v1 (Yjs UpdateEncoderV1): everything goes to one lib0 stream. */
final class UpdateEncoder {
    private final Encoder rest;

    UpdateEncoder() {
        this(new Encoder(256));
    }

    UpdateEncoder(Encoder rest) {
        this.rest = rest;
    }

    Encoder rest() {
        return rest;
    }

    byte[] toByteArray() {
        return rest.toByteArray();
    }

    void writeLeftId(ID id) {
        rest.writeVarUint(id.client());
        rest.writeVarUint(id.clock());
    }

    void writeRightId(ID id) {
        writeLeftId(id);
    }

    void writeClient(long client) {
        rest.writeVarUint(client);
    }

    void writeInfo(int info) {
        rest.writeUint8(info);
    }

    void writeString(String s) {
        rest.writeVarString(s);
    }

    void writeParentInfo(boolean isYKey) {
        rest.writeVarUint(isYKey ? 1 : 0);
    }

    void writeTypeRef(int ref) {
        rest.writeVarUint(ref);
    }

    void writeLen(int len) {
        rest.writeVarUint(len);
    }

    void writeAny(Object any) {
        Any.write(rest, any);
    }

    void writeBuf(byte[] buf) {
        rest.writeVarBytes(buf);
    }

    void writeJson(Object value) {
        rest.writeVarString(value == Any.UNDEFINED ? "undefined" : Json.stringify(value));
    }

    void writeKey(String key) {
        rest.writeVarString(key);
    }

    void writeDsClock(int clock) {
        rest.writeVarUint(clock);
    }

    void writeDsLen(int len) {
        rest.writeVarUint(len);
    }
}
