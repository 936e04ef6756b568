package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The download links in a job's results answer: every string that is a path on the gateway's API
 * ({@code /api/...}) or a URL on the gateway, with the scan it belongs to (the {@code scanId} of
 * the nearest enclosing object, or the id a map of scans files it under) and the field naming it.
 */
final class OutputLinks {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * @param scanId the scan it belongs to, or {@code null} for job-wide links
     * @param field  the JSON path of the field, e.g. {@code scans[0].downloads.acquired}
     * @param href   the path or URL
     */
    record Link(String scanId, String field, String href) {
        /** The last element of the field path, e.g. {@code acquired}. */
        String name() {
            String f = field.replaceAll("\\[\\d+]$", "");
            int dot = f.lastIndexOf('.');
            return dot < 0 ? f : f.substring(dot + 1);
        }
    }

    private OutputLinks() {
    }

    static List<Link> find(JsonNode results, String gatewayUrl) {
        List<Link> out = new ArrayList<>();
        walk(results, "", null, gatewayUrl, out);
        return out;
    }

    private static void walk(JsonNode node, String path, String scanId, String gatewayUrl, List<Link> out) {
        if (node.isObject()) {
            String here = node.hasNonNull("scanId") ? node.get("scanId").asText() : scanId;
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = e.getKey();
                String childScan = UUID_TEXT.matcher(child).matches() && e.getValue().isObject() ? child : here;
                walk(e.getValue(), path.isEmpty() ? child : path + "." + child, childScan, gatewayUrl, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", scanId, gatewayUrl, out);
            }
        } else if (node.isTextual()) {
            String s = node.asText();
            if (s.startsWith("/api/") || (gatewayUrl != null && s.startsWith(gatewayUrl + "/"))) {
                out.add(new Link(scanId, path, s));
            }
        }
    }
}
