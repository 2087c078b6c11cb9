package dev.quire.crdt;

import dev.quire.crdt.encoding.Any;
import dev.quire.crdt.encoding.Decoder;
import dev.quire.crdt.encoding.DecodingException;
import dev.quire.crdt.encoding.Json;

/** Reads the fields of Yjs update format v1 (Yjs UpdateDecoderV1). */
final class UpdateDecoder {
    private final Decoder rest;

    UpdateDecoder(Decoder rest) {
        this.rest = rest;
    }

    Decoder rest() {
        return rest;
    }

    ID readLeftId() {
        long client = rest.readVarUint();
        int clock = rest.readVarUintAsInt("clock");
        return new ID(client, clock);
    }

    ID readRightId() {
        return readLeftId();
    }

    long readClient() {
        return rest.readVarUint();
    }

    int readInfo() {
        return rest.readUint8();
    }

    String readString() {
        return rest.readVarString();
    }

    boolean readParentInfo() {
        return rest.readVarUint() == 1;
    }

    int readTypeRef() {
        return rest.readVarUintAsInt("type ref");
    }

    int readLen() {
        return rest.readVarUintAsInt("length");
    }

    Object readAny() {
        return Any.read(rest);
    }

    byte[] readBuf() {
        return rest.readVarBytes();
    }

    Object readJson() {
        int at = rest.position();
        String s = rest.readVarString();
        if (s.equals("undefined")) {
            return Any.UNDEFINED;
        }
        try {
            return Json.parse(s);
        } catch (IllegalArgumentException e) {
            throw new DecodingException(e.getMessage(), at);
        }
    }

    String readKey() {
        return rest.readVarString();
    }

    int readDsClock() {
        return rest.readVarUintAsInt("delete set clock");
    }

    int readDsLen() {
        return rest.readVarUintAsInt("delete set length");
    }
}
