package dev.quire.server.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of an external identity provider ({@code --trust-jwks FILE|URL}).
 *
 * <ul>
 *   <li>A URL is fetched through Nimbus's {@link JWKSourceBuilder}: cached (5 min), refreshed when a token names a
 *       {@code kid} not in the cache (how an IdP's key rotation reaches us), rate-limited so a flood of tokens with
 *       made-up kids cannot make us hammer the IdP, and outage-tolerant. Only {@code https}, except on loopback
 *       (a local test IdP): keys fetched in the clear could be replaced by anyone on the path.</li>
 *   <li>A file is re-read when it changes, like the users file.</li>
 * </ul>
 */
final class TrustedJwks {
    private static final Logger log = LoggerFactory.getLogger(TrustedJwks.class);

    private TrustedJwks() {
    }

    static VerificationKeys load(String fileOrUrl) {
        if (fileOrUrl.startsWith("https://") || fileOrUrl.startsWith("http://")) {
            return fromUrl(fileOrUrl);
        }
        return fromFile(Path.of(fileOrUrl));
    }

    static VerificationKeys fromUrl(String url) {
        URL u;
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException("--trust-jwks must be an https URL (plain http only on loopback): "
                        + url);
            }
            u = uri.toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalArgumentException("--trust-jwks is not a valid URL: " + url, e);
        }
        JWKSource<SecurityContext> source = JWKSourceBuilder.create(u).build();
        return kid -> {
            try {
                List<JWK> found = source.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            } catch (KeySourceException e) {
                // Fail closed: without the IdP's keys no token can be checked. TOKEN_INVALID for this token; the
                // warning tells the operator why.
                log.warn("cannot fetch the trusted JWKS from {}: {}", url, e.getMessage());
                return Optional.empty();
            }
        };
    }

    static VerificationKeys fromFile(Path path) {
        PrivateFile file = new PrivateFile(path);
        record Loaded(JWKSet set, PrivateFile.Stamp stamp) {
        }
        Loaded[] current = {null};
        Object lock = new Object();
        java.util.function.Supplier<Loaded> read = () -> {
            PrivateFile.Read r = file.read().orElseThrow(() ->
                    new IllegalStateException("the trusted JWKS file " + file.path() + " does not exist"));
            try {
                JWKSet set = JWKSet.parse(r.content());
                if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
                    log.warn("the trusted JWKS file {} holds private keys; only public keys are needed there",
                            file.path());
                }
                return new Loaded(set.toPublicJWKSet(), r.stamp());
            } catch (ParseException e) {
                throw new IllegalStateException("the trusted JWKS file " + file.path() + " is not a JWK set: "
                        + e.getMessage());
            }
        };
        current[0] = read.get(); // fail at start on a missing or broken file
        return kid -> {
            Loaded l;
            synchronized (lock) {
                if (file.changedSince(current[0].stamp())) {
                    try {
                        current[0] = read.get();
                    } catch (IllegalStateException e) {
                        log.warn("{}; keeping the previous keys", e.getMessage());
                        current[0] = new Loaded(current[0].set(), file.stamp());
                    }
                }
                l = current[0];
            }
            return Optional.ofNullable(l.set().getKeyByKeyId(kid));
        };
    }

    /** Literal loopback names only: a DNS answer could say loopback today and something else tomorrow. */
    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}"));
    }
}
