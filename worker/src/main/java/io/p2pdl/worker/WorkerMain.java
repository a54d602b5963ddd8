package io.p2pdl.worker;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: turns the command line into configuration, then runs Quarkus until SIGTERM.
 * A bad command line prints one line to stderr and exits with status 2.
 */
@QuarkusMain
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String... args) {
        WorkerArgs parsed;
        try {
            parsed = WorkerArgs.parse(args, System::getProperty, System::getenv);
        } catch (WorkerArgs.UsageException e) {
            System.err.println("p2pdl worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(WorkerArgs.USAGE);
            return;
        }
        // System properties outrank application.properties and environment variables in
        // MicroProfile Config, so flags win.
        parsed.properties().forEach(System::setProperty);
        Quarkus.run(args);
    }
}
