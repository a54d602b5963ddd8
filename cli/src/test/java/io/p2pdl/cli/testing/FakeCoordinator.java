package io.p2pdl.cli.testing;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.ListResponse;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.WatchRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A scriptable in-memory {@code Downloads} service on an ephemeral loopback port. Tests put downloads
 * in, script what Watch streams or which error a call answers, and read back the requests received.
 */
public final class FakeCoordinator extends DownloadsGrpc.DownloadsImplBase implements AutoCloseable {

    private final Server server;
    private final Map<String, Download> downloads = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<SubmitRequest> submits = Collections.synchronizedList(new ArrayList<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Deque<List<Download>> watchScripts = new ArrayDeque<>();
    private final Deque<Status> watchErrors = new ArrayDeque<>();
    private volatile Status submitError;
    private volatile Status resumeError;
    private volatile DownloadState submittedState = DownloadState.RUNNING;
    private int nextId = 1;

    /** Starts the service on 127.0.0.1 at a free port. */
    public FakeCoordinator() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
    }

    /** A coordinator serving TLS only, with this PEM certificate and PKCS#8 key. */
    public FakeCoordinator(java.nio.file.Path cert, java.nio.file.Path pkcs8Key) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(io.grpc.netty.GrpcSslContexts.forServer(cert.toFile(), pkcs8Key.toFile()).build())
                .addService(this).build().start();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Adds or replaces a download. */
    public FakeCoordinator put(Download d) {
        downloads.put(d.getId(), d);
        return this;
    }

    /** The next Watch call streams {@code snapshots} (then completes). */
    public synchronized FakeCoordinator scriptWatch(Download... snapshots) {
        watchScripts.add(List.of(snapshots));
        return this;
    }

    /** The next Watch call fails with {@code status} (before any scripted stream is used). */
    public synchronized FakeCoordinator failNextWatch(Status status) {
        watchErrors.add(status);
        return this;
    }

    /** Every Submit fails with {@code status}. */
    public FakeCoordinator failSubmit(Status status) {
        this.submitError = status;
        return this;
    }

    /** Every Resume fails with {@code status}. */
    public FakeCoordinator failResume(Status status) {
        this.resumeError = status;
        return this;
    }

    /** Submit requests received, in order. */
    public List<SubmitRequest> submits() {
        return List.copyOf(submits);
    }

    /** Names of the calls received, like {@code resume:d1}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<Download> response) {
        calls.add("submit");
        submits.add(request);
        if (submitError != null) {
            response.onError(submitError.asRuntimeException());
            return;
        }
        String id;
        synchronized (this) {
            id = "d" + nextId++;
        }
        Download d = Download.newBuilder().setId(id).setUrl(request.getUrl()).setOutputName(request.getOutputName())
                .setState(submittedState).setSizeBytes(-1).build();
        downloads.put(id, d);
        response.onNext(d);
        response.onCompleted();
    }

    @Override
    public void get(DownloadRef request, StreamObserver<Download> response) {
        calls.add("get:" + request.getId());
        answer(request.getId(), response);
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        calls.add("list");
        List<Download> newestFirst = new ArrayList<>(downloads.values());
        Collections.reverse(newestFirst);
        response.onNext(ListResponse.newBuilder().addAllDownloads(newestFirst).build());
        response.onCompleted();
    }

    @Override
    public void cancel(DownloadRef request, StreamObserver<Download> response) {
        calls.add("cancel:" + request.getId());
        transition(request.getId(), DownloadState.FAILED, response);
    }

    @Override
    public void pause(DownloadRef request, StreamObserver<Download> response) {
        calls.add("pause:" + request.getId());
        transition(request.getId(), DownloadState.PAUSED, response);
    }

    @Override
    public void resume(DownloadRef request, StreamObserver<Download> response) {
        calls.add("resume:" + request.getId());
        if (resumeError != null) {
            response.onError(resumeError.asRuntimeException());
            return;
        }
        transition(request.getId(), DownloadState.RUNNING, response);
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<Download> response) {
        calls.add("watch:" + request.getId());
        List<Download> script;
        Status error;
        synchronized (this) {
            error = watchErrors.poll();
            script = error == null ? watchScripts.poll() : null;
        }
        if (error != null) {
            response.onError(error.asRuntimeException());
            return;
        }
        if (script == null) {
            Download d = downloads.get(request.getId());
            if (d == null) {
                response.onError(Status.NOT_FOUND.withDescription("no download " + request.getId()).asRuntimeException());
                return;
            }
            script = List.of(d);
        }
        script.forEach(response::onNext);
        response.onCompleted();
    }

    private void transition(String id, DownloadState state, StreamObserver<Download> response) {
        Download d = downloads.get(id);
        if (d == null) {
            response.onError(Status.NOT_FOUND.withDescription("no download " + id).asRuntimeException());
            return;
        }
        Download changed = d.toBuilder().setState(state).build();
        downloads.put(id, changed);
        response.onNext(changed);
        response.onCompleted();
    }

    private void answer(String id, StreamObserver<Download> response) {
        Download d = downloads.get(id);
        if (d == null) {
            response.onError(Status.NOT_FOUND.withDescription("no download " + id).asRuntimeException());
            return;
        }
        response.onNext(d);
        response.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
