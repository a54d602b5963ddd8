package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.cli.output.DownloadJson;
import io.p2pdl.cli.output.DownloadText;
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

/** {@code p2pdl status ID}: one download's status, as text or JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show one download's status.",
                "Exits 0 whatever the download's state; use --output json and its 'state' to branch in scripts."})
public class StatusCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Download id as printed by submit.")
    String id;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (every Download field in lowerCamel plus 'progress' 0..1). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Mixin
    CoordinatorOptions coordinatorOptions;

    @Inject
    public StatusCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        try (CoordinatorClient client = coordinatorOptions.connect(environment)) {
            Download download = client.get(id);
            PrintWriter out = spec.commandLine().getOut();
            if (format == OutputFormat.JSON) {
                out.println(DownloadJson.object(download));
            } else {
                out.print(DownloadText.status(download));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
