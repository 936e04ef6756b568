package org.triplane.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NextLinkTest {

    @Test
    void findsTheNextTargetAmongSeveralLinks() {
        assertEquals(Optional.of(URI.create("/api/v1/jobs?limit=2&cursor=abc")),
                NextLink.of("</api/v1/jobs?limit=2&cursor=abc>; rel=\"next\""));
        assertEquals(Optional.of(URI.create("https://h/p2")),
                NextLink.of("<https://h/first>; rel=\"first\", <https://h/p2>; title=\"x\"; rel=\"prev next\""));
        assertEquals(Optional.of(URI.create("/a")), NextLink.of("</a>; rel=next"));
    }

    @Test
    void noNextLinkIsEmpty() {
        assertTrue(NextLink.of("</api/v1/jobs?cursor=abc>; rel=\"prev\"").isEmpty());
        assertTrue(NextLink.of("").isEmpty());
        assertTrue(NextLink.of("</a>; rel=\"nextish\"").isEmpty());
    }
}
