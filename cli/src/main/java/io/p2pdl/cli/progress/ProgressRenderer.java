package io.p2pdl.cli.progress;

import io.p2pdl.proto.v1.Download;

/**
 * Turns a sequence of timed download snapshots into text for the user. Renderers know nothing of
 * gRPC or clocks: callers pass the time each snapshot was received, which keeps them unit-testable.
 * Returned text is written as is (it may be empty, may start with {@code \r}, may end with a newline).
 */
public interface ProgressRenderer {

    /** Text for a snapshot received at {@code atMillis} (a monotonic clock, in milliseconds). */
    String update(long atMillis, Download snapshot);

    /** Text once the download reached {@code last}, its final state; ends with a newline if non-empty. */
    String finish(long atMillis, Download last);
}
