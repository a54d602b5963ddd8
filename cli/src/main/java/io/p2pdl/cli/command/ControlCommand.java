package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.cli.progress.DownloadProgress;
import io.p2pdl.proto.v1.Download;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Base of {@code cancel}, {@code pause} and {@code resume}: one call on one id, then one line {@code ID STATE NAME}. */
abstract class ControlCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Download id as printed by submit.")
    String id;

    @Mixin
    CoordinatorOptions coordinatorOptions;

    ControlCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The admin call this command makes. */
    abstract Download apply(CoordinatorClient client, String id);

    @Override
    public Integer call() {
        try (CoordinatorClient client = coordinatorOptions.connect(environment)) {
            Download download = apply(client, id);
            PrintWriter out = spec.commandLine().getOut();
            out.println(download.getId() + " " + download.getState().name().toLowerCase(Locale.ROOT)
                    + " " + DownloadProgress.name(download));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
