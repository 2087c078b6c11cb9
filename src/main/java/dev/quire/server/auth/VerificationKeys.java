package dev.quire.server.auth;

import com.nimbusds.jose.jwk.JWK;
import java.util.Optional;

/** Where {@link JwtVerifier} finds the public key a token names in its {@code kid}. */
@FunctionalInterface
interface VerificationKeys {
    /** The public key with id {@code kid}, if it is one this server accepts now. */
    Optional<JWK> find(String kid);
}
