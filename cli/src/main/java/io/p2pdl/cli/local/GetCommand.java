package io.p2pdl.cli.local;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.DownloadsApi;
import io.p2pdl.cli.command.DownloadFollower;
import io.p2pdl.cli.command.ProgressOptions;
import io.p2pdl.cli.command.SubmitOptions;
import io.p2pdl.cli.command.UrlArgument;
import io.p2pdl.cli.option.NonNegativeIntConverter;
import io.p2pdl.cli.option.CidrConverter;
import io.p2pdl.cli.option.PositiveIntConverter;
import io.p2pdl.cli.process.ServiceJar;
import io.p2pdl.cli.progress.DownloadProgress;
import io.p2pdl.cli.progress.ProgressMode;
import io.p2pdl.cli.progress.Units;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code p2pdl get URL}: the all-in-one local download. Runs a private coordinator: its core and one
 * fetch engine inside this JVM ({@link InJvmCoordinator}), or, with {@code --workers N}, a coordinator
 * process plus N worker processes ({@link LocalCluster}); submits (or, after an interrupted run,
 * resumes) the download, shows progress and stops everything. The state directory beside the file
 * makes re-running the same command resume.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Download URL on this machine with a private coordinator that fetches C chunks at once.",
                "State lives in <dir>/.<name>.p2pdl/ (with the child logs) until the download succeeds; "
                        + "re-run the same command after a failure or Ctrl-C to resume."})
public class GetCommand implements Callable<Integer> {

    /** How long the private coordinator may take to start answering. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final CliEnvironment environment;
    /** Set when the coordinator refused the submit: nothing was started, so there is nothing to resume. */
    private boolean refused;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "http or https URL of the file.")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "Output file (or existing directory). Default: the URL's last path segment in the current directory.")
    String output;

    /** Chunks fetched at once by default: as many connections as {@code aria2c -x8}. */
    static final int DEFAULT_CONCURRENCY = 8;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0", converter = NonNegativeIntConverter.class,
            description = "Extra worker processes to start besides the coordinator's own fetching (they add "
                    + "connections, not bandwidth, on one machine). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "" + DEFAULT_CONCURRENCY,
            converter = PositiveIntConverter.class,
            description = "Chunks (origin connections) fetched at once by the coordinator and by each extra "
                    + "worker. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--allow-origin-cidr", paramLabel = "CIDR", converter = CidrConverter.class,
            description = "Also allow origins in this private range, e.g. 10.0.0.0/8 (repeatable; loopback is "
                    + "always allowed for get; link-local and cloud metadata addresses never are).")
    List<String> allowedCidrs = new ArrayList<>();

    @Mixin
    SubmitOptions submitOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Inject
    public GetCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI uri = UrlArgument.check(spec.commandLine(), url);
        OutputTarget target = OutputTarget.resolve(uri, output, environment.workingDir());
        // Services to start are checked before anything is created.
        List<LocalCluster.Launch> jars = workers == 0 ? List.of()
                : List.of(launch(ServiceJar.COORDINATOR), launch(ServiceJar.WORKER));
        ProgressMode mode = progressOptions.resolve(environment);
        boolean freshStateDir = !Files.exists(target.stateDir());
        Files.createDirectories(target.stateDir());

        LocalCoordinator local = workers == 0
                ? InJvmCoordinator.start(target, concurrency, allowedCidrs)
                : LocalCluster.start(jars.get(0), jars.get(1), target, workers, concurrency, allowedCidrs);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            interrupted.set(true);
            PrintWriter err = spec.commandLine().getErr();
            err.println((mode == ProgressMode.BAR ? "\n" : "") + "p2pdl: interrupted; stopping the download"
                    + " (run the same command again to resume; state in " + target.stateDir() + ")");
            err.flush();
            local.stop();
        }, "p2pdl-get-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);

        Download last;
        try {
            local.awaitReady(READY_TIMEOUT);
            last = run(local.api(), uri, target, mode, local);
        } catch (CliFailure e) {
            awaitExitIfInterrupted(interrupted);
            stop(local, onSignal, interrupted);
            if (refused && freshStateDir) {
                // A refused submit (bad name, file exists, origin 404) leaves nothing to resume: no litter.
                StateDirectory.delete(target.stateDir());
                throw e;
            }
            // The coordinator is our own: "unreachable" here is a local failure, not a network one.
            int code = e.exitCode() == ExitCodes.UNREACHABLE ? ExitCodes.FAILED : e.exitCode();
            throw new CliFailure(code, e.getMessage() + " (logs: " + target.stateDir() + ")", e);
        } finally {
            stop(local, onSignal, interrupted);
        }
        awaitExitIfInterrupted(interrupted);
        return finish(last, target);
    }

    private Download run(DownloadsApi client, URI uri, OutputTarget target, ProgressMode mode, LocalCoordinator local)
            throws InterruptedException {
        RunDecision decision = RunDecision.decide(client.list(), uri.toString(), target.name());
        PrintWriter out = spec.commandLine().getOut();
        String id = switch (decision.action()) {
            case DONE -> Files.exists(target.path()) ? null : submit(client, uri, target);
            case WATCH -> decision.download().orElseThrow().getId();
            case RESUME -> resume(client, decision.download().orElseThrow(), uri, target, mode, out);
            case SUBMIT -> submit(client, uri, target);
        };
        if (id == null) {
            Download done = decision.download().orElseThrow();
            if (mode != ProgressMode.NONE) {
                out.println(DownloadProgress.summary(done)); // an earlier run finished; only its cleanup was missed
                out.flush();
            }
            return done;
        }
        return new DownloadFollower(client, mode, out).withHealthCheck(local::failIfAnyDied).follow(id);
    }

    private String resume(DownloadsApi client, Download earlier, URI uri, OutputTarget target, ProgressMode mode,
            PrintWriter out) {
        try {
            Download resumed = client.resume(earlier.getId());
            if (mode != ProgressMode.NONE) {
                out.println("resuming " + target.name() + " (" + DownloadProgress.name(earlier) + ", "
                        + Units.bytes(earlier.getCompletedBytes()) + " already done)");
                out.flush();
            }
            return resumed.getId();
        } catch (CliFailure e) {
            if (e.exitCode() != ExitCodes.FAILED) {
                throw e;
            }
            return submit(client, uri, target); // the coordinator refused to resume (reason not retryable): start over
        }
    }

    private String submit(DownloadsApi client, URI uri, OutputTarget target) {
        try {
            return client.submit(submitOptions.request(uri.toString(), target.name())).getId();
        } catch (CliFailure e) {
            refused = e.exitCode() == ExitCodes.USAGE || e.exitCode() == ExitCodes.FAILED;
            throw e;
        }
    }

    private static void stop(LocalCoordinator local, Thread onSignal, AtomicBoolean interrupted) {
        if (!interrupted.get()) {
            removeHook(onSignal);
            local.stop(); // idempotent
        }
    }

    private int finish(Download last, OutputTarget target) throws IOException {
        if (last.getState() == DownloadState.COMPLETED && !Files.exists(target.path())) {
            throw new CliFailure(ExitCodes.FAILED, "the coordinator reported " + target.name()
                    + " completed but " + target.path() + " does not exist (logs: " + target.stateDir() + ")");
        }
        if (last.getState() != DownloadState.COMPLETED) {
            try {
                DownloadFollower.outcome(last);
            } catch (CliFailure e) {
                throw new CliFailure(e.exitCode(), e.getMessage() + " (logs: " + target.stateDir() + ")");
            }
        }
        StateDirectory.delete(target.stateDir());
        return ExitCodes.OK;
    }

    private LocalCluster.Launch launch(ServiceJar service) {
        return new LocalCluster.Launch(service.jar(environment.home()),
                environment.variable(service.optsVariable()).orElse(service.localOpts()));
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutdown already started: the hook stops the children.
        }
    }

    /**
     * After Ctrl-C the JVM is exiting (with 130) and the shutdown hook owns the only error line; a
     * failure the main thread sees meanwhile (the stream breaks as the coordinator stops) must not add another.
     */
    private static void awaitExitIfInterrupted(AtomicBoolean interrupted) throws InterruptedException {
        if (interrupted.get()) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
