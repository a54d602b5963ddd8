package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.proto.v1.Download;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** {@code p2pdl pause ID}. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop handing out chunks of a download; transfers in flight still land.")
public class PauseCommand extends ControlCommand {

    @Inject
    public PauseCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    Download apply(CoordinatorClient client, String id) {
        return client.pause(id);
    }
}
