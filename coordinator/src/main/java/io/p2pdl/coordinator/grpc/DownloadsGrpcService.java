package io.p2pdl.coordinator.grpc;

import io.p2pdl.coordinator.download.DownloadException;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.coordinator.download.WatchPacer;
import io.p2pdl.coordinator.peers.DownloadRouter;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.Downloads;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.ListResponse;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.WatchRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;

/** The admin service: submit, inspect and control downloads. */
@GrpcService
public class DownloadsGrpcService implements Downloads {

    private static final int DEFAULT_WATCH_MS = 500;
    private static final int MIN_WATCH_MS = 50;

    @Inject
    DownloadService downloads;
    @Inject
    DownloadRouter router;

    @Override
    @Blocking
    public Uni<Download> submit(SubmitRequest request) {
        return call(() -> downloads.submit(request));
    }

    @Override
    @Blocking
    public Uni<Download> get(DownloadRef request) {
        return call(() -> router.get(request));
    }

    @Override
    @Blocking
    public Uni<ListResponse> list(ListRequest request) {
        return call(() -> ListResponse.newBuilder().addAllDownloads(router.list(request)).build());
    }

    @Override
    @Blocking
    public Uni<Download> cancel(DownloadRef request) {
        return call(() -> router.cancel(request));
    }

    @Override
    @Blocking
    public Uni<Download> pause(DownloadRef request) {
        return call(() -> router.pause(request));
    }

    @Override
    @Blocking
    public Uni<Download> resume(DownloadRef request) {
        return call(() -> router.resume(request));
    }

    /** Emits the status every interval until, and including, the first terminal state. */
    @Override
    @Blocking
    public Multi<Download> watch(WatchRequest request) {
        String id = request.getId();
        java.util.Optional<Multi<Download>> remote = router.remoteWatch(request);
        if (remote.isPresent()) {
            return remote.get().onFailure().transform(StatusMapping::toStatus);
        }
        if (downloads.viewOrNull(id) == null) {
            return Multi.createFrom().failure(StatusMapping.toStatus(DownloadException.notFound(id)));
        }
        int interval = request.getIntervalMs() <= 0 ? DEFAULT_WATCH_MS : Math.max(request.getIntervalMs(), MIN_WATCH_MS);
        WatchPacer pacer = new WatchPacer(Duration.ofMillis(interval));
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(WatchPacer.TICK)
                .onOverflow().drop()
                .map(tick -> downloads.viewOrNull(id))
                .select().where(d -> d != null && pacer.due(d, System.nanoTime()))
                .plug(DownloadsGrpcService::untilTerminal);
    }

    /** Passes items through and completes right after the first terminal one. */
    private static Multi<Download> untilTerminal(Multi<Download> upstream) {
        return upstream.select().first(new java.util.function.Predicate<>() {
            private boolean ended;

            @Override
            public boolean test(Download d) {
                if (ended) {
                    return false;
                }
                ended = WatchPacer.isTerminal(d);
                return true;
            }
        });
    }

    private static <T> Uni<T> call(Callable<T> action) {
        return Uni.createFrom().item(() -> {
            try {
                return action.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).onFailure().transform(StatusMapping::toStatus);
    }
}
