package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.client.CoordinatorClient;
import io.p2pdl.proto.v1.Download;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** {@code p2pdl resume ID}. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a paused download, or retry a failed one from where it stopped when its reason allows (exit 1 otherwise).")
public class ResumeCommand extends ControlCommand {

    @Inject
    public ResumeCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    Download apply(CoordinatorClient client, String id) {
        return client.resume(id);
    }
}
