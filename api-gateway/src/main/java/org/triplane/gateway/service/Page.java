package org.triplane.gateway.service;

import java.util.List;
import java.util.function.Function;
import org.triplane.db.ListPosition;

/**
 * One page of a newest-first list.
 *
 * @param items the page's rows, at most the limit asked for
 * @param next  where the next page starts, {@code null} on the last page
 * @param <T>   row type
 */
public record Page<T>(List<T> items, ListPosition next) {

    /**
     * @param fetched  up to {@code limit + 1} rows read after the previous page (one more than asked tells whether
     *                 another page follows)
     * @param limit    rows a page holds
     * @param position a row's position in the list
     * @param <T>      row type
     * @return the first {@code limit} rows, with the last one's position when more rows followed
     */
    static <T> Page<T> of(List<T> fetched, int limit, Function<T, ListPosition> position) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), position.apply(items.get(limit - 1)));
    }

    /**
     * @param limit rows asked for a page
     * @param max   most a page may hold
     * @throws RequestRejected 400 naming {@code limit} outside 1..max
     */
    static void checkLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw RequestRejected.badRequest("limit", "must be within 1.." + max + ", got " + limit);
        }
    }
}
