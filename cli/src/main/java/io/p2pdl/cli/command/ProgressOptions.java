package io.p2pdl.cli.command;

import io.p2pdl.cli.CliEnvironment;
import io.p2pdl.cli.progress.ProgressMode;
import picocli.CommandLine.Option;

/** The {@code --progress} option of commands that follow a download. */
public class ProgressOptions {

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (bar on a terminal, else plain), bar, plain (a line every 5 s, for logs) or none. "
                    + "Default: ${DEFAULT-VALUE}.")
    ProgressMode mode = ProgressMode.AUTO;

    /** The concrete mode for this environment. */
    public ProgressMode resolve(CliEnvironment environment) {
        return mode.resolve(environment.interactive());
    }
}
