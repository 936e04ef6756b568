package org.triplane.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GatewayExceptionTest {

    @Test
    void readsTheProblemDocument() {
        GatewayException e = new GatewayException("POST", "http://g/api/v1/jobs", 422, """
                {"type":"about:blank","title":"Unprocessable Content","status":422,
                 "detail":"idempotency key k was used for a SEGMENT job, not EVALUATE","instance":"/api/v1/jobs",
                 "part":"Idempotency-Key"}""");

        assertEquals("Idempotency-Key", e.part());
        assertEquals("idempotency key k was used for a SEGMENT job, not EVALUATE", e.error());
        assertEquals("Unprocessable Content", e.title());
        assertEquals("POST http://g/api/v1/jobs answered 422: Idempotency-Key: idempotency key k "
                + "was used for a SEGMENT job, not EVALUATE", e.getMessage());
        assertFalse(e.isUnknownRoute());
    }

    @Test
    void aNotFoundNamingNoPartIsAnUnknownRoute() {
        String noRoute = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such resource\"}";
        assertTrue(new GatewayException("GET", "http://g/x", 404, noRoute).isUnknownRoute());
        assertTrue(new GatewayException("GET", "http://g/x", 404, "").isUnknownRoute());
        String missingJob = "{\"status\":404,\"detail\":\"job 1 not found\",\"part\":\"id\"}";
        assertFalse(new GatewayException("GET", "http://g/x", 404, missingJob).isUnknownRoute());
    }

    @Test
    void aBodyThatIsNoProblemIsQuotedOnOneLine() {
        GatewayException e = new GatewayException("GET", "http://g/x", 502, "<html>\n bad gateway\n</html>");
        assertNull(e.error());
        assertEquals("GET http://g/x answered 502: <html> bad gateway </html>", e.getMessage());
    }
}
