package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.cli.output.DownloadJson;
import io.p2pdl.cli.output.DownloadText;
import io.p2pdl.proto.v1.Download;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code p2pdl list}: every download the coordinator knows, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the coordinator's downloads, newest first.")
public class ListCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table) or json (an array of objects like 'status --output json'). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Mixin
    CoordinatorOptions coordinatorOptions;

    @Inject
    public ListCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        try (CoordinatorClient client = coordinatorOptions.connect(environment)) {
            List<Download> downloads = client.list();
            PrintWriter out = spec.commandLine().getOut();
            if (format == OutputFormat.JSON) {
                out.println(DownloadJson.array(downloads));
            } else if (downloads.isEmpty()) {
                out.println("no downloads");
            } else {
                out.print(DownloadText.table(downloads));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
