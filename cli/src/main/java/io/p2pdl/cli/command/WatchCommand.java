package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorClient;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code p2pdl watch ID}: shows a download's progress until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a download until it completes or fails.",
                "On a terminal: one live line (bar, percent, bytes, rate, ETA, workers). Otherwise: a line every 5 s "
                        + "and a summary. Exits 0 when it completes, 1 when it fails."})
public class WatchCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Download id as printed by submit.")
    String id;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    CoordinatorOptions coordinatorOptions;

    @Inject
    public WatchCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        try (CoordinatorClient client = coordinatorOptions.connect(environment)) {
            var follower = new DownloadFollower(client, progressOptions.resolve(environment), spec.commandLine().getOut());
            return DownloadFollower.outcome(follower.follow(id));
        }
    }
}
