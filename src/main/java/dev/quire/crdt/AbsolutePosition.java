package dev.quire.crdt;

/**
 * An index into a shared type, as resolved from a {@link RelativePosition} at one moment (Yjs AbsolutePosition).
 * Valid only until the document changes again.
 *
 * @param type  the type the position lies in (a text, array, or the type a nested position points into)
 * @param index the position in {@code type}'s units (UTF-16 code units for text)
 * @param assoc the association of the relative position it came from: {@code >= 0} right, {@code < 0} left
 */
public record AbsolutePosition(AbstractType type, int index, int assoc) {
}
