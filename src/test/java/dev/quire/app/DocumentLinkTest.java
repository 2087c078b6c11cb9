package dev.quire.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code quire://} links the installers register: written and read back, and what is not one. */
class DocumentLinkTest {
    @Test
    void aLinkReadsBackAsWrittenWhateverItsServerUrlHolds() {
        DocumentLink link = new DocumentLink(URI.create("https://quire.example.org:8443/team?x=1"), "doc 1/ä");
        assertEquals(Optional.of(link), DocumentLink.parse(link.toString()));
        assertEquals(Optional.of(new DocumentLink(URI.create("http://127.0.0.1:8080"), "abc")),
                DocumentLink.parse("quire://open?server=http%3A%2F%2F127.0.0.1%3A8080&doc=abc"));
    }

    @Test
    void anythingElseIsNotALink() {
        assertTrue(DocumentLink.parse("/home/ann/notes.yjs").isEmpty());
        assertTrue(DocumentLink.parse("quire://open?doc=abc").isEmpty(), "no server");
        assertTrue(DocumentLink.parse("quire://open?server=file%3A%2Fetc%2Fpasswd&doc=a").isEmpty(), "not http(s)");
        assertTrue(DocumentLink.parse("quire://delete?server=https%3A%2F%2Fa&doc=a").isEmpty(), "not open");
        assertTrue(DocumentLink.parse("https://quire.example.org/docs/a").isEmpty());
        assertTrue(DocumentLink.looksLikeOne("QUIRE://whatever"));
        assertFalse(DocumentLink.looksLikeOne("notes.yjs"));
    }
}
