package io.p2pdl.fetch.engine;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.GetChunkRequest;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.NoWork;
import io.p2pdl.proto.v1.ReleaseChunkRequest;
import io.p2pdl.proto.v1.ReleaseChunkResponse;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferOutcome;
import io.p2pdl.proto.v1.TransferResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * A coordinator for engine tests: hands out queued leases, checks every transfer against the
 * protocol (header first, frames of at most 256 KiB, trailer CRC32C last) and keeps the bytes.
 */
final class FakeCoordinator extends DownloaderGrpc.DownloaderImplBase implements AutoCloseable {

    private final String name;
    private final Server server;
    private final Queue<ChunkLease> queue = new ConcurrentLinkedQueue<>();
    final Map<Long, byte[]> accepted = new ConcurrentHashMap<>();
    final List<ReleaseChunkRequest> releases = new CopyOnWriteArrayList<>();
    final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    final AtomicInteger cancelledTransfers = new AtomicInteger();
    final AtomicInteger getChunkCalls = new AtomicInteger();
    /** Each GetChunk call's {@code ahead} flag and {@code wait_ms}, in order ("ahead/0", "now/50"). */
    final List<String> asks = new CopyOnWriteArrayList<>();
    private final List<String> askLog;
    private volatile Status rejectWith;
    /** Transfer headers received (each attempt of each chunk). */
    final AtomicInteger headersSeen = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch verdictGate;

    FakeCoordinator(String name, List<String> askLog) {
        this.name = name;
        this.askLog = askLog;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeCoordinator() {
        this("c", new CopyOnWriteArrayList<>());
    }

    CoordinatorTarget target() {
        return new CoordinatorTarget("127.0.0.1", server.getPort());
    }

    void offer(List<ChunkLease> leases) {
        queue.addAll(leases);
    }

    /** Leases not handed out yet. */
    int queued() {
        return queue.size();
    }

    /** Sends no transfer verdict until {@code gate} opens (the verdicts then follow, each on its own thread). */
    void holdVerdictsUntil(java.util.concurrent.CountDownLatch gate) {
        verdictGate = gate;
    }

    /** Ends every transfer with this status instead of accepting it. */
    void rejectTransfersWith(Status status) {
        rejectWith = status;
    }

    @Override
    public void getChunk(GetChunkRequest request, StreamObserver<GetChunkResponse> out) {
        getChunkCalls.incrementAndGet();
        asks.add((request.getAhead() ? "ahead/" : "now/") + request.getWaitMs());
        askLog.add(name);
        ChunkLease lease = queue.poll();
        out.onNext(lease != null ? GetChunkResponse.newBuilder().setLease(lease).build()
                : GetChunkResponse.newBuilder().setNoWork(NoWork.newBuilder().setRetryAfterMs(20)).build());
        out.onCompleted();
    }

    @Override
    public void releaseChunk(ReleaseChunkRequest request, StreamObserver<ReleaseChunkResponse> out) {
        releases.add(request);
        out.onNext(ReleaseChunkResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public StreamObserver<TransferFrame> transferChunk(StreamObserver<TransferResult> out) {
        return new StreamObserver<>() {
            private TransferHeader header;
            private final ByteArrayOutputStream data = new ByteArrayOutputStream();
            private final CRC32C crc = new CRC32C();
            private boolean trailer;
            private boolean failed;

            @Override
            public void onNext(TransferFrame f) {
                if (failed) {
                    return;
                }
                if (header == null && !f.hasHeader()) {
                    fail("first frame is not a header");
                } else if (f.hasHeader() && header != null) {
                    fail("second header");
                } else if (f.hasHeader()) {
                    header = f.getHeader();
                    headersSeen.incrementAndGet();
                } else if (trailer) {
                    fail("frame after trailer");
                } else if (f.getFrameCase() == TransferFrame.FrameCase.DATA) {
                    if (f.getData().size() > 256 * 1024) {
                        fail("frame of " + f.getData().size() + " bytes");
                    }
                    data.writeBytes(f.getData().toByteArray());
                    crc.update(f.getData().asReadOnlyByteBuffer());
                } else if (f.hasTrailer()) {
                    trailer = true;
                    if (f.getTrailer().getCrc32C() != (int) crc.getValue()) {
                        fail("CRC32C mismatch");
                    }
                }
            }

            private void fail(String why) {
                failed = true;
                protocolErrors.add(why);
                out.onError(Status.INVALID_ARGUMENT.withDescription("PROTOCOL " + why).asRuntimeException());
            }

            @Override
            public void onError(Throwable t) {
                cancelledTransfers.incrementAndGet();
            }

            @Override
            public void onCompleted() {
                java.util.concurrent.CountDownLatch gate = verdictGate;
                if (gate == null) {
                    verdict();
                    return;
                }
                Thread t = new Thread(() -> {
                    try {
                        gate.await();
                        verdict();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.setDaemon(true);
                t.start();
            }

            private void verdict() {
                if (failed) {
                    return;
                }
                if (!trailer || data.size() != header.getLength()) {
                    fail("SHORT_TRANSFER " + data.size() + " of " + header.getLength());
                    return;
                }
                Status reject = rejectWith;
                if (reject != null) {
                    out.onError(reject.asRuntimeException());
                    return;
                }
                boolean dup = accepted.putIfAbsent(header.getChunkIndex(), data.toByteArray()) != null;
                out.onNext(TransferResult.newBuilder()
                        .setOutcome(dup ? TransferOutcome.DUPLICATE : TransferOutcome.ACCEPTED)
                        .setBytesWritten(dup ? 0 : data.size()).build());
                out.onCompleted();
            }
        };
    }

    /** The accepted chunks joined in index order. */
    byte[] assembled() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        accepted.keySet().stream().sorted().forEach(i -> all.writeBytes(accepted.get(i)));
        return all.toByteArray();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
