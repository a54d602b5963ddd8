package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.PassThrough;
import io.p2pdl.cli.process.JavaCommand;
import io.p2pdl.cli.process.ServiceJar;
import io.p2pdl.cli.process.ServiceRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;

/**
 * Base of {@code p2pdl coordinator} and {@code p2pdl worker}: every argument, {@code --help} included,
 * goes to the service unchanged, so the commands behave the same with and without the launcher.
 */
abstract class ServiceCommand implements Callable<Integer>, PassThrough {

    private final CliEnvironment environment;
    private final ServiceJar service;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments for the service, passed through unchanged.")
    List<String> args = new ArrayList<>();

    ServiceCommand(CliEnvironment environment, ServiceJar service) {
        this.environment = environment;
        this.service = service;
    }

    @Override
    public Integer call() throws Exception {
        // Services run with their own defaults here (like the launcher's exec); get's small heaps are for laptops.
        String opts = environment.variable(service.optsVariable()).orElse("");
        return ServiceRunner.run(JavaCommand.of(opts, service.jar(environment.home()), args));
    }
}
