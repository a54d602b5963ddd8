package io.p2pdl.cli.local;

import static io.p2pdl.cli.testing.Downloads.completed;
import static io.p2pdl.cli.testing.Downloads.failed;
import static io.p2pdl.cli.testing.Downloads.running;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2pdl.cli.local.RunDecision.Action;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunDecisionTest {

    private static final String URL = "http://origin/f.iso";

    private static Action decide(Download... downloads) {
        return RunDecision.decide(List.of(downloads), URL, "f.iso").action();
    }

    @Test
    void freshStateSubmits() {
        assertEquals(Action.SUBMIT, decide());
    }

    @Test
    void interruptedRunIsContinued() {
        assertEquals(Action.WATCH, decide(running("d1", "f.iso", 10, 5)));
        assertEquals(Action.RESUME, decide(running("d1", "f.iso", 10, 5).toBuilder().setState(DownloadState.PAUSED).build()));
        assertEquals(Action.RESUME, decide(failed("d1", "f.iso", FailureReason.ORIGIN_UNREACHABLE, "")));
        assertEquals(Action.DONE, decide(completed("d1", "f.iso", 10, 1)));
    }

    @Test
    void unresumableFailureOrAnotherFileStartsOver() {
        assertEquals(Action.SUBMIT, decide(failed("d1", "f.iso", FailureReason.TOO_MANY_ERRORS, "").toBuilder()
                .setResumable(false).build()));
        assertEquals(Action.SUBMIT, decide(running("d1", "other.iso", 10, 5)));
        assertEquals(Action.SUBMIT, decide(running("d1", "f.iso", 10, 5).toBuilder().setUrl("http://elsewhere/f.iso").build()));
    }

    @Test
    void newestMatchingDownloadWins() {
        RunDecision d = RunDecision.decide(List.of(running("new", "f.iso", 10, 5),
                failed("old", "f.iso", FailureReason.CANCELLED, "")), URL, "f.iso");
        assertEquals("new", d.download().orElseThrow().getId());
    }

    @Test
    void credentialsInTheUrlDoNotPreventAMatch() {
        assertEquals("https://h:8443/p?q=%20#x", RunDecision.withoutCredentials("https://user:p%40ss@h:8443/p?q=%20#x"));
        assertEquals(Action.WATCH, RunDecision.decide(List.of(running("d1", "f.iso", 10, 5)),
                "http://u:secret@origin/f.iso", "f.iso").action());
    }
}
