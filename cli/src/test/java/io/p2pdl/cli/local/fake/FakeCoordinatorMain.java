package io.p2pdl.cli.local.fake;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.DownloadsGrpc;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.ListRequest;
import io.p2pdl.proto.v1.ListResponse;
import io.p2pdl.proto.v1.SubmitRequest;
import io.p2pdl.proto.v1.WatchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the coordinator jar in {@code get} tests: accepts the coordinator's command line,
 * "downloads" instantly by writing the file, and keeps its one download in the state directory so a
 * second run sees it. The URL steers it: {@code /refused} is refused at submit, {@code /missing} fails for good, {@code /flaky} fails
 * resumably the first time; a state directory named {@code .die*} makes it crash at startup.
 */
public final class FakeCoordinatorMain extends DownloadsGrpc.DownloadsImplBase {

    private final Path dataDir;
    private final Path stateFile;
    private final String args;
    private volatile Download download;

    private FakeCoordinatorMain(Path dataDir, Path stateDir, String args) throws IOException {
        this.dataDir = dataDir;
        this.stateFile = stateDir.resolve("fake-download.pb");
        this.args = args;
        this.download = Files.exists(stateFile) ? Download.parseFrom(Files.readAllBytes(stateFile)) : null;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            flags.put(argv[i], argv[i + 1]);
        }
        Path stateDir = Path.of(flags.get("--state-dir"));
        System.out.println("fake coordinator starting");
        if (stateDir.getFileName().toString().startsWith(".die")) {
            System.out.println("FATAL: cannot bind 127.0.0.1:" + flags.get("--port"));
            System.exit(7);
        }
        FakeCoordinatorMain service = new FakeCoordinatorMain(Path.of(flags.get("--data-dir")), stateDir, String.join(" ", argv));
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(flags.get("--bind"),
                Integer.parseInt(flags.get("--port")))).addService(service).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("fake coordinator stopping on SIGTERM");
            server.shutdownNow();
        }));
        server.awaitTermination();
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<Download> response) {
        if (request.getUrl().endsWith("/refused")) {
            response.onError(Status.FAILED_PRECONDITION.withDescription("ORIGIN_NOT_FOUND: origin answered 404")
                    .asRuntimeException());
            return;
        }
        if (request.getUrl().endsWith("/missing")) {
            save(base(request).setState(DownloadState.FAILED).setFailureReason(FailureReason.ORIGIN_NOT_FOUND)
                    .setMessage("origin answered 404").setResumable(false).build());
        } else if (request.getUrl().endsWith("/flaky")) {
            save(base(request).setState(DownloadState.FAILED).setFailureReason(FailureReason.ORIGIN_UNREACHABLE)
                    .setMessage("connection reset").setResumable(true).setCompletedBytes(10).build());
        } else {
            complete(base(request), "submitted with: " + args);
        }
        response.onNext(download);
        response.onCompleted();
    }

    @Override
    public void resume(DownloadRef request, StreamObserver<Download> response) {
        complete(download.toBuilder().clearFailureReason().clearMessage(), "resumed with: " + args);
        response.onNext(download);
        response.onCompleted();
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        response.onNext(ListResponse.newBuilder().addAllDownloads(download == null ? List.of() : List.of(download)).build());
        response.onCompleted();
    }

    @Override
    public void get(DownloadRef request, StreamObserver<Download> response) {
        response.onNext(download);
        response.onCompleted();
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<Download> response) {
        if (download == null || !download.getId().equals(request.getId())) {
            response.onError(Status.NOT_FOUND.withDescription("no download " + request.getId()).asRuntimeException());
            return;
        }
        response.onNext(download);
        response.onCompleted();
    }

    private static Download.Builder base(SubmitRequest request) {
        return Download.newBuilder().setId("d1").setUrl(request.getUrl()).setOutputName(request.getOutputName())
                .setSizeBytes(-1);
    }

    private void complete(Download.Builder d, String content) {
        try {
            Files.writeString(dataDir.resolve(d.getOutputName()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        save(d.setState(DownloadState.COMPLETED).setSizeBytes(content.length()).setCompletedBytes(content.length())
                .setDurationMs(1_000).setSha256("00".repeat(32)).build());
    }

    private void save(Download d) {
        download = d;
        try {
            Files.write(stateFile, d.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
