package dev.quire.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks that a string is exactly one JSON value, as JavaScript's {@code JSON.parse} requires (no trailing text,
 * comments, single quotes, NaN or leading zeros), without building it. Jackson's streaming parser does the work; its
 * default limits (nesting depth 1000, string length) apply, which real awareness states never approach.
 */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /**
     * @return whether the value is JSON {@code null}
     * @throws IllegalArgumentException if the text is not one valid JSON value; the message never quotes the text
     *     (it may be anything a client sent)
     */
    static boolean requireValue(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("state is not valid JSON: no value");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("state is not valid JSON: text after the value");
            }
            return first == JsonToken.VALUE_NULL;
        } catch (JsonProcessingException e) {
            // Jackson's messages quote the input: say only where it failed
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("state is not valid JSON"
                    + (at == null ? "" : ": error at character " + at.getCharOffset() + " of the state"));
        } catch (IOException e) {
            throw new IllegalArgumentException("state is not valid JSON");
        }
    }
}
