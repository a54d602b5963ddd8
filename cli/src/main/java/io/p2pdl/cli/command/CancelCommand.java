package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.proto.v1.Download;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** {@code p2pdl cancel ID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Stop a download for good (it ends FAILED with reason CANCELLED; the partial file and state are kept).")
public class CancelCommand extends ControlCommand {

    @Inject
    public CancelCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    Download apply(CoordinatorClient client, String id) {
        return client.cancel(id);
    }
}
