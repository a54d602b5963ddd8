package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.proto.v1.Download;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code p2pdl submit URL}: hands a download to a coordinator and prints its id; {@code --wait} follows it. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a download to a coordinator and print its id (one line).",
                "With --wait, follow it like 'watch' and exit 0 exactly when it completes (what a Kubernetes Job runs)."})
public class SubmitCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "http or https URL of the file.")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "NAME",
            description = "File name relative to the coordinator's data directory. Default: derived from the URL.")
    String outputName;

    @Option(names = "--wait", description = "Follow the download and exit when it ends (0 only when COMPLETED).")
    boolean waitForEnd;

    @Mixin
    SubmitOptions submitOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    CoordinatorOptions coordinatorOptions;

    @Inject
    public SubmitCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        UrlArgument.check(spec.commandLine(), url);
        PrintWriter out = spec.commandLine().getOut();
        try (CoordinatorClient client = coordinatorOptions.connect(environment)) {
            Download submitted = client.submit(submitOptions.request(url.trim(), outputName));
            out.println(submitted.getId());
            out.flush();
            if (!waitForEnd) {
                return ExitCodes.OK;
            }
            Download last = new DownloadFollower(client, progressOptions.resolve(environment), out).follow(submitted.getId());
            return DownloadFollower.outcome(last);
        }
    }
}
