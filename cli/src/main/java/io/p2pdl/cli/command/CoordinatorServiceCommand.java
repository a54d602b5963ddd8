package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.process.ServiceJar;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** {@code p2pdl coordinator [args...]}: runs the coordinator service in the foreground. */
@Command(name = "coordinator",
        description = {"Run a coordinator service in the foreground; all arguments go to it ('p2pdl coordinator --help' "
                + "shows its options). JVM options: $P2PDL_COORDINATOR_JAVA_OPTS."})
public class CoordinatorServiceCommand extends ServiceCommand {

    @Inject
    public CoordinatorServiceCommand(CliEnvironment environment) {
        super(environment, ServiceJar.COORDINATOR);
    }
}
