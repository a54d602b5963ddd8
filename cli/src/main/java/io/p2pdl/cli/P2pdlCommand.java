package io.p2pdl.cli;

import io.p2pdl.cli.command.CancelCommand;
import io.p2pdl.cli.command.CoordinatorServiceCommand;
import io.p2pdl.cli.command.ListCommand;
import io.p2pdl.cli.command.PauseCommand;
import io.p2pdl.cli.command.ResumeCommand;
import io.p2pdl.cli.command.StatusCommand;
import io.p2pdl.cli.command.SubmitCommand;
import io.p2pdl.cli.command.WatchCommand;
import io.p2pdl.cli.command.WorkerServiceCommand;
import io.p2pdl.cli.local.GetCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code p2pdl} command: only dispatches to its subcommands. */
@TopCommand
@Command(name = "p2pdl", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Peer-assisted HTTP(S) downloader: one download, many machines' WAN links.",
        subcommands = {GetCommand.class, SubmitCommand.class, StatusCommand.class, ListCommand.class,
                WatchCommand.class, CancelCommand.class, PauseCommand.class, ResumeCommand.class,
                CoordinatorServiceCommand.class, WorkerServiceCommand.class, CommandLine.HelpCommand.class},
        footer = {"%nThe coordinator address comes from --coordinator, else $P2PDL_COORDINATOR, else 127.0.0.1:7400."})
public class P2pdlCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
