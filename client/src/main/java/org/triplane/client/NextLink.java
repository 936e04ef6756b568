package org.triplane.client;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of an HTTP {@code Link} header (RFC 8288), as the gateway's lists send it. */
final class NextLink {

    // why: a header may list several links, each "<uri>; param; ...", separated by commas
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

    private NextLink() {
    }

    /**
     * @param header a {@code Link} header's value
     * @return the target of its link whose {@code rel} includes {@code next} (a reference, maybe relative to
     *         the request), empty when there is none
     */
    static Optional<URI> of(String header) {
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL_NEXT.matcher(link.group(2));
            while (rel.find()) {
                for (String r : rel.group(1).strip().split("\\s+")) {
                    if (r.equalsIgnoreCase("next")) {
                        return Optional.of(URI.create(link.group(1).strip()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
