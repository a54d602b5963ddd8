package io.p2pdl.coordinator.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: the command line becomes configuration, then Quarkus runs until SIGTERM. */
@QuarkusMain
public final class CoordinatorMain {

    private CoordinatorMain() {
    }

    public static void main(String... args) {
        CoordinatorArgs parsed;
        try {
            parsed = CoordinatorArgs.parse(args);
        } catch (CoordinatorArgs.UsageException e) {
            System.err.println("p2pdl coordinator: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(CoordinatorArgs.USAGE);
            return;
        }
        parsed.properties().forEach(System::setProperty);
        Quarkus.run(args);
    }
}
