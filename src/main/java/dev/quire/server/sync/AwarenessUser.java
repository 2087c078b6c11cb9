package dev.quire.server.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.server.auth.Principal;
import java.util.Optional;

/**
 * Stamps an awareness state with the server-known user (issue 5: "Awareness entries carry the server-known user id
 * and name, not what the client claims"). The state's {@code user} field gets {@code id} and {@code name} from the
 * connection's principal; the client's other fields stay, also inside {@code user} (editor bindings such as
 * y-codemirror read {@code user.color} and {@code user.colorLight} from there), so presence still looks as the client
 * chose, but nobody can appear as someone else.
 */
final class AwarenessUser {
    // Exact decimals, so numbers in a relayed state keep their digits (no double rounding on the way through).
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private AwarenessUser() {
    }

    /**
     * The state with its user set to {@code principal}; empty when the state is not a JSON object (y-protocols
     * states are objects; anything else cannot carry a user and is not relayed).
     */
    static Optional<String> stamp(String stateJson, Principal principal) {
        JsonNode state;
        try {
            state = JSON.readTree(stateJson);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (!(state instanceof ObjectNode object)) {
            return Optional.empty();
        }
        ObjectNode user = object.get("user") instanceof ObjectNode claimed ? claimed : object.putObject("user");
        user.put("id", principal.userId());
        user.put("name", principal.name());
        object.set("user", user);
        try {
            return Optional.of(JSON.writeValueAsString(object));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
