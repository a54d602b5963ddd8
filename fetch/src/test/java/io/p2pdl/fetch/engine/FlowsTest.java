package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which flows of a worker count as crawling (Flows). */
class FlowsTest {

    private static final long S = 1_000_000_000L;
    private static final String A = "http://a:80";
    private static final String B = "http://b:80";

    /** A flow from {@code origin} read for {@code seconds} at {@code perSecond} bytes a second. */
    private static Flows.Flow flow(String origin, double seconds, long perSecond) {
        return new Flows.Flow(origin, (long) (seconds * S), (long) (seconds * perSecond));
    }

    @Test
    void aFlowBelowAnEighthOfItsSiblingsMedianAfterThreeSecondsIsCrawling() {
        List<Flows.Flow> flows = List.of(flow(A, 4, 1_000_000), flow(A, 4, 1_200_000), flow(A, 4, 900_000),
                flow(A, 4, 100_000));
        assertEquals(List.of(3), Flows.crawling(flows));
    }

    @Test
    void slowerButNotAnEighthIsNotCrawling() {
        // TCP shares a link unfairly: a third of the siblings' rate is normal.
        assertEquals(List.of(), Flows.crawling(List.of(flow(A, 4, 1_000_000), flow(A, 4, 130_000))));
    }

    @Test
    void aFlowIsJudgedOnlyAfterThreeSecondsAndAgainstSiblingsReadForASecond() {
        assertEquals(List.of(), Flows.crawling(List.of(flow(A, 2.9, 10_000), flow(A, 4, 1_000_000))),
                "too early to judge");
        assertEquals(List.of(), Flows.crawling(List.of(flow(A, 5, 10_000), flow(A, 0.9, 1_000_000))),
                "its sibling has only just started");
        assertEquals(List.of(0), Flows.crawling(List.of(flow(A, 3, 10_000), flow(A, 1, 1_000_000))));
    }

    @Test
    void onlyFlowsFromTheSameOriginAreSiblings() {
        // A slow origin beside a fast one is not a starved flow: every flow from it is slow.
        List<Flows.Flow> flows = List.of(flow(A, 5, 5_000_000), flow(A, 5, 5_000_000), flow(B, 5, 20_000),
                flow(B, 5, 25_000));
        assertEquals(List.of(), Flows.crawling(flows));
    }

    @Test
    void aLoneFlowOrFlowsAllEquallySlowAreNeverCrawling() {
        assertEquals(List.of(), Flows.crawling(List.of(flow(A, 60, 100))));
        assertEquals(List.of(), Flows.crawling(List.of(flow(A, 60, 100), flow(A, 60, 120), flow(A, 60, 90))));
    }

    @Test
    void theMedianNotTheFastestSiblingIsTheMeasure() {
        // One burst sibling does not make ordinary flows crawl.
        List<Flows.Flow> flows = List.of(flow(A, 4, 20_000_000), flow(A, 4, 1_000_000), flow(A, 4, 1_000_000),
                flow(A, 4, 900_000));
        assertEquals(List.of(), Flows.crawling(flows));
    }
}
