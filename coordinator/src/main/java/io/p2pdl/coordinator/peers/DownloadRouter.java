package io.p2pdl.coordinator.peers;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.coordinator.download.DownloadException;
import io.p2pdl.coordinator.download.DownloadService;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.MutinyDownloadsGrpc;
import io.p2pdl.proto.v1.WatchRequest;
import io.smallrye.mutiny.Multi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Lets any coordinator answer for any download: calls about a download this coordinator does not
 * own are forwarded to the peers (marked {@code local_only}, so a peer never forwards again), and
 * List gathers every reachable peer's downloads. Routing needs no shared database: the owner is
 * simply the peer that knows the id.
 */
public final class DownloadRouter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DownloadRouter.class);
    private static final long PEER_DEADLINE_SECONDS = 10;

    private final DownloadService local;
    private final PeerDirectory directory;
    private final PeerChannels channels;

    /**
     * @param adminToken presented to peers when forwarding (coordinators of one installation share it)
     * @param tls plaintext or TLS towards peers (they serve what this coordinator serves)
     */
    public DownloadRouter(DownloadService local, PeerDirectory directory, java.util.Optional<String> adminToken,
            io.p2pdl.fetch.tls.ClientTls tls) {
        this.local = local;
        this.directory = directory;
        this.channels = new PeerChannels(adminToken, tls);
    }

    public Download get(DownloadRef ref) {
        return routed(ref, () -> local.get(ref.getId()), DownloadsGrpc.DownloadsBlockingStub::get);
    }

    public Download cancel(DownloadRef ref) {
        return routed(ref, () -> local.cancel(ref.getId()), DownloadsGrpc.DownloadsBlockingStub::cancel);
    }

    public Download pause(DownloadRef ref) {
        return routed(ref, () -> local.pause(ref.getId()), DownloadsGrpc.DownloadsBlockingStub::pause);
    }

    public Download resume(DownloadRef ref) {
        return routed(ref, () -> {
            try {
                return local.resume(ref.getId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException(DownloadException.Kind.UNAVAILABLE,
                        io.p2pdl.proto.v1.FailureReason.FAILURE_REASON_UNSPECIFIED, "coordinator is shutting down");
            }
        }, DownloadsGrpc.DownloadsBlockingStub::resume);
    }

    /** This coordinator's downloads plus, unless {@code local_only}, every reachable peer's; newest first. */
    public List<Download> list(ListRequest request) {
        List<Download> all = new ArrayList<>(local.list());
        if (!request.getLocalOnly()) {
            for (CoordinatorTarget peer : peers()) {
                try {
                    all.addAll(stub(peer).list(ListRequest.newBuilder().setLocalOnly(true).build()).getDownloadsList());
                } catch (StatusRuntimeException e) {
                    LOG.warnf("peer %s left out of List: %s", peer, e.getStatus().getCode());
                }
            }
            all.sort(Comparator.comparingLong(Download::getCreatedAtUnixMs).reversed().thenComparing(Download::getId));
        }
        return all;
    }

    /**
     * The peer owning a download this coordinator does not know, for Watch; empty when this
     * coordinator owns it or the request must stay local.
     */
    public Optional<Multi<Download>> remoteWatch(WatchRequest request) {
        if (request.getLocalOnly() || local.viewOrNull(request.getId()) != null) {
            return Optional.empty();
        }
        DownloadRef ref = DownloadRef.newBuilder().setId(request.getId()).setLocalOnly(true).build();
        for (CoordinatorTarget peer : peers()) {
            try {
                stub(peer).get(ref);
                return Optional.of(MutinyDownloadsGrpc.newMutinyStub(channels.channel(peer))
                        .watch(request.toBuilder().setLocalOnly(true).build()));
            } catch (StatusRuntimeException e) {
                // Not there (NOT_FOUND) or unreachable: try the next peer.
            }
        }
        return Optional.empty();
    }

    private Download routed(DownloadRef ref, java.util.function.Supplier<Download> here,
            BiFunction<DownloadsGrpc.DownloadsBlockingStub, DownloadRef, Download> remote) {
        try {
            return here.get();
        } catch (DownloadException e) {
            if (e.kind() != DownloadException.Kind.NOT_FOUND || ref.getLocalOnly()) {
                throw e;
            }
            DownloadRef forwarded = ref.toBuilder().setLocalOnly(true).build();
            List<String> unreachable = new ArrayList<>();
            for (CoordinatorTarget peer : peers()) {
                try {
                    return remote.apply(stub(peer), forwarded);
                } catch (StatusRuntimeException s) {
                    Status.Code code = s.getStatus().getCode();
                    if (code == Status.Code.NOT_FOUND) {
                        continue;
                    }
                    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                        unreachable.add(peer.toString());
                        continue;
                    }
                    throw s;
                }
            }
            if (unreachable.isEmpty()) {
                throw e;
            }
            throw new DownloadException(DownloadException.Kind.UNAVAILABLE,
                    io.p2pdl.proto.v1.FailureReason.FAILURE_REASON_UNSPECIFIED, e.getMessage()
                    + " here, and coordinators " + String.join(", ", unreachable) + " did not answer");
        }
    }

    private List<CoordinatorTarget> peers() {
        List<CoordinatorTarget> peers = directory.peers();
        channels.retainOnly(peers);
        return peers;
    }

    private DownloadsGrpc.DownloadsBlockingStub stub(CoordinatorTarget peer) {
        return DownloadsGrpc.newBlockingStub(channels.channel(peer))
                .withDeadlineAfter(PEER_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channels.close();
        directory.close();
    }
}
