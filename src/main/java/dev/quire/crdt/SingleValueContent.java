package dev.quire.crdt;

/** Content of exactly one clock (a binary value, an embed, a format mark, a type, a sub-document): never split or merged. */
abstract sealed class SingleValueContent implements Content
        permits ContentBinary, ContentEmbed, ContentFormat, ContentType, ContentDoc {

    @Override
    public final int length() {
        return 1;
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public final Content splice(int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has length 1 and can't be split");
    }

    @Override
    public final boolean mergeWith(Content right) {
        return false;
    }
}
