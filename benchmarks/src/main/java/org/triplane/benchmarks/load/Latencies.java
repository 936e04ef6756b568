package org.triplane.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Every request's kind, status and latency, collected from many threads; summarised per kind. */
final class Latencies {

    private record Sample(String kind, int status, double ms) {
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(String kind, int status, double ms) {
        samples.add(new Sample(kind, status, ms));
    }

    synchronized long count(java.util.function.IntPredicate status) {
        return samples.stream().filter(s -> status.test(s.status())).count();
    }

    /** @return one line per request kind: requests, statuses, p50 / p95 / max latency in ms */
    synchronized String table() {
        Map<String, List<Sample>> byKind = new TreeMap<>();
        samples.forEach(s -> byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s));
        byKind.put("all", List.copyOf(samples));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-22s %8s %8s %8s %8s %9s %9s %9s%n",
                "request", "count", "2xx", "4xx", "5xx", "p50 ms", "p95 ms", "max ms"));
        byKind.forEach((kind, list) -> {
            double[] ms = list.stream().mapToDouble(Sample::ms).sorted().toArray();
            out.append(String.format(Locale.ROOT, "%-22s %8d %8d %8d %8d %9.1f %9.1f %9.1f%n", kind, list.size(),
                    list.stream().filter(s -> s.status() / 100 == 2).count(),
                    list.stream().filter(s -> s.status() / 100 == 4).count(),
                    list.stream().filter(s -> s.status() >= 500 || s.status() == 0).count(),
                    quantile(ms, 0.5), quantile(ms, 0.95), ms.length == 0 ? 0 : ms[ms.length - 1]));
        });
        return out.toString();
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
