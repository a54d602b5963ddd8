package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoordinatorChannelsTest {

    private static final CoordinatorTarget A = new CoordinatorTarget("127.0.0.1", 1);
    private static final CoordinatorTarget B = new CoordinatorTarget("127.0.0.1", 2);

    private final CoordinatorChannels channels = new CoordinatorChannels();

    @AfterEach
    void close() {
        channels.close();
    }

    @Test
    void oneChannelPerCurrentTarget() {
        channels.retainOnly(List.of(A, B));
        ManagedChannel a = channels.channel(A).orElseThrow();
        assertSame(a, channels.channel(A).orElseThrow());
        assertEquals(Set.of(A), channels.targets());
    }

    @Test
    void vanishedTargetsChannelIsShutDownAndNeverRecreated() {
        channels.retainOnly(List.of(A, B));
        ManagedChannel a = channels.channel(A).orElseThrow();

        channels.retainOnly(List.of(B));

        assertTrue(a.isShutdown());
        // A slot that picked A just before it vanished must not bring back a channel nobody closes.
        assertEquals(Optional.empty(), channels.channel(A));
        assertEquals(Set.of(), channels.targets());
    }

    @Test
    void targetsUnknownToDiscoveryGetNoChannel() {
        assertEquals(Optional.empty(), channels.channel(A));
    }

    @Test
    void closedChannelsHandOutNothing() {
        channels.retainOnly(List.of(A));
        ManagedChannel a = channels.channel(A).orElseThrow();

        channels.close();

        assertTrue(a.isShutdown());
        assertEquals(Optional.empty(), channels.channel(A));
    }
}
