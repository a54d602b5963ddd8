package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.process.ServiceJar;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/** {@code p2pdl worker [args...]}: runs a worker service in the foreground. */
@Command(name = "worker",
        description = {"Run a worker service in the foreground; all arguments go to it ('p2pdl worker --help' "
                + "shows its options). JVM options: $P2PDL_WORKER_JAVA_OPTS."})
public class WorkerServiceCommand extends ServiceCommand {

    @Inject
    public WorkerServiceCommand(CliEnvironment environment) {
        super(environment, ServiceJar.WORKER);
    }
}
