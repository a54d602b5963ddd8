package io.p2pdl.fetch.engine;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.p2pdl.proto.v1.DownloaderGrpc;
import io.p2pdl.proto.v1.TransferFrame;
import io.p2pdl.proto.v1.TransferHeader;
import io.p2pdl.proto.v1.TransferResult;
import io.p2pdl.proto.v1.TransferTrailer;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code TransferChunk} client stream: header, data frames, trailer, with gRPC flow control.
 * {@link #send} blocks the slot thread until the stream is ready, so at most about one frame per
 * chunk waits in memory however slow the coordinator is.
 */
final class ChunkTransfer implements ChunkSink {

    /** Largest data frame the protocol allows. */
    static final int MAX_FRAME = 256 * 1024;

    private final Object readyLock = new Object();
    private final CompletableFuture<TransferResult> result = new CompletableFuture<>();
    private final TransferWatch watch;
    private volatile ClientCallStreamObserver<TransferFrame> requests;

    private ChunkTransfer(TransferWatch watch) {
        this.watch = watch;
    }

    /**
     * Opens the stream and sends the header frame.
     *
     * @param watch consulted while waiting for flow control, so an abort or idle timeout ends the wait
     */
    static ChunkTransfer open(DownloaderGrpc.DownloaderStub stub, TransferHeader header, TransferWatch watch) {
        ChunkTransfer t = new ChunkTransfer(watch);
        stub.transferChunk(t.new Responses());
        t.requests.onNext(TransferFrame.newBuilder().setHeader(header).build());
        return t;
    }

    /**
     * Sends one data frame, waiting for flow control first. The buffer is wrapped, not copied:
     * the caller must not reuse it.
     */
    @Override
    public void data(ByteBuffer frame) throws TransferRejectedException, InterruptedException {
        awaitReady();
        requests.onNext(TransferFrame.newBuilder()
                .setData(UnsafeByteOperations.unsafeWrap(frame))
                .build());
    }

    /** Sends the trailer, half-closes, and waits up to {@code timeoutMillis} for the result. */
    @Override
    public TransferResult finish(int crc32c, long timeoutMillis)
            throws TransferRejectedException, InterruptedException, TimeoutException {
        awaitReady();
        requests.onNext(TransferFrame.newBuilder()
                .setTrailer(TransferTrailer.newBuilder().setCrc32C(crc32c))
                .build());
        requests.onCompleted();
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (TransferRejectedException) e.getCause();
        }
    }

    /** Abandons the stream (the coordinator sees CANCELLED and discards the partial chunk). */
    @Override
    public void cancel(String why) {
        ClientCallStreamObserver<TransferFrame> r = requests;
        if (r != null && !result.isDone()) {
            r.cancel(why, null);
        }
    }

    private void awaitReady() throws TransferRejectedException, InterruptedException {
        synchronized (readyLock) {
            while (!requests.isReady()) {
                failIfDone();
                if (watch.aborted()) {
                    throw new TransferRejectedException(Status.CANCELLED.withDescription("aborted"));
                }
                // Woken by the on-ready handler; the timeout only re-checks aborts.
                readyLock.wait(100);
            }
        }
        failIfDone();
        watch.touch();
    }

    private void failIfDone() throws TransferRejectedException {
        if (result.isCompletedExceptionally()) {
            try {
                result.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw (TransferRejectedException) e.getCause();
            }
        }
        if (result.isDone()) {
            throw new TransferRejectedException(Status.INTERNAL.withDescription("coordinator answered before the trailer"));
        }
    }

    private void wake() {
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }

    private final class Responses implements ClientResponseObserver<TransferFrame, TransferResult> {
        @Override
        public void beforeStart(ClientCallStreamObserver<TransferFrame> stream) {
            requests = stream;
            stream.setOnReadyHandler(ChunkTransfer.this::wake);
        }

        @Override
        public void onNext(TransferResult value) {
            result.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(new TransferRejectedException(Status.fromThrowable(t)));
            wake();
        }

        @Override
        public void onCompleted() {
            if (!result.isDone()) {
                result.completeExceptionally(new TransferRejectedException(
                        Status.INTERNAL.withDescription("transfer ended without a result")));
            }
            wake();
        }
    }
}
