package org.triplane.gateway.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Function;
import org.triplane.db.ListPosition;
import org.triplane.gateway.service.Page;
import org.triplane.gateway.service.RequestRejected;

/**
 * Cursor pagination of the list endpoints: the body is the page's array, and a {@code Link: <...>;
 * rel="next"} header (RFC 8288; a reference relative to the request) carries the request again with
 * an opaque {@code cursor} for the next page; the last page has none. The cursor encodes where the
 * page ended ({@link ListPosition}), so a page follows on exactly whatever was inserted meanwhile.
 */
final class Paging {

    /** Query parameter carrying the cursor. */
    static final String CURSOR = "cursor";

    /** Rows a page holds when the request names no {@code limit}. */
    static final int DEFAULT_LIMIT = 100;

    private static final String VERSION = "1";

    private Paging() {
    }

    /**
     * @param cursor the {@code cursor} parameter, or {@code null}
     * @return where the previous page ended, {@code null} for the first page
     * @throws RequestRejected 400 naming {@code cursor} when it is not one this gateway issued
     */
    static ListPosition position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|");
            if (fields.length != 3 || !VERSION.equals(fields[0])) {
                throw new IllegalArgumentException("unknown layout");
            }
            return new ListPosition(Instant.parse(fields[1]), UUID.fromString(fields[2]));
        } catch (RuntimeException e) {
            throw RequestRejected.badRequest(CURSOR, "not a cursor from a Link header of this list: " + cursor);
        }
    }

    /** @return the opaque cursor for a page that starts after {@code position} */
    static String cursor(ListPosition position) {
        String text = VERSION + "|" + position.createdAt() + "|" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param limit the {@code limit} parameter, or {@code null} @return it, or {@link #DEFAULT_LIMIT} */
    static int limit(Integer limit) {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    /**
     * @param page    the page read
     * @param answer  how a row is answered
     * @param request the request, whose parameters the next page's link repeats
     * @return 200 with the page's rows and, unless it is the last page, the link to the next
     */
    static <T, R> Response answer(Page<T> page, Function<T, R> answer, UriInfo request) {
        Response.ResponseBuilder ok = Response.ok(page.items().stream().map(answer).toList(), MediaType.APPLICATION_JSON_TYPE);
        if (page.next() == null) {
            return ok.build();
        }
        URI next = request.getRequestUriBuilder().replaceQueryParam(CURSOR, cursor(page.next())).build();
        return ok.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"").build();
    }
}
