package io.p2pdl.fetch.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a worker's crawling flows: fetches reading far slower than its other fetches from the same
 * origin. On a link its flows fill, TCP sometimes leaves one of them at a few percent of its
 * siblings' rate for many seconds (a connection that lost packets in slow start while the others
 * held the queue: in the WAN bench a 4 MiB chunk took 10–14 s on a 40 Mbit/s link whose other flows
 * each moved 10 Mbit/s). Such a chunk ends long after everything else; tried again on a new
 * connection it gets its share. A whole origin or link being slow is not crawling (every flow is).
 */
final class Flows {

    /** A flow is crawling below 1 / this of the median of its siblings' rates. */
    static final int CRAWL_FACTOR = 8;
    /** Only a flow read for at least this long is judged, */
    static final long CRAWL_AFTER_NANOS = 3_000_000_000L;
    /** against siblings read for at least this long. */
    static final long SIBLING_AFTER_NANOS = 1_000_000_000L;

    /** One fetch reading a body: its origin, for how long, and the bytes it read meanwhile. */
    record Flow(String origin, long elapsedNanos, long bytes) {
        double rate() {
            return elapsedNanos <= 0 ? 0 : (double) bytes / elapsedNanos;
        }
    }

    private Flows() {
    }

    /** Indexes (into {@code flows}) of the crawling ones. */
    static List<Integer> crawling(List<Flow> flows) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            if (f.elapsedNanos() < CRAWL_AFTER_NANOS) {
                continue;
            }
            List<Double> siblings = new ArrayList<>();
            for (int j = 0; j < flows.size(); j++) {
                Flow o = flows.get(j);
                if (j != i && o.origin().equals(f.origin()) && o.elapsedNanos() >= SIBLING_AFTER_NANOS) {
                    siblings.add(o.rate());
                }
            }
            if (!siblings.isEmpty() && f.rate() * CRAWL_FACTOR < median(siblings)) {
                out.add(i);
            }
        }
        return out;
    }

    private static double median(List<Double> values) {
        values.sort(null);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
