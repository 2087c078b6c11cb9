package dev.quire.protocol;

/**
 * "Send me every awareness state you know" (y-websocket's {@code messageQueryAwareness}, 3); the answer is an
 * {@link AwarenessUpdate}. The frame is the type byte alone.
 */
public record QueryAwareness() implements Message {
}
