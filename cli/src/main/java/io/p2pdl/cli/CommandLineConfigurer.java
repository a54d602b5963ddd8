package io.p2pdl.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Applies the CLI's conventions to a picocli {@link CommandLine}, in production and in tests alike:
 * every error is one {@code p2pdl: ...} line on stderr with an exit code from {@link ExitCodes}, and
 * every command's help ends with the exit code list.
 */
public final class CommandLineConfigurer {

    private CommandLineConfigurer() {
    }

    /** Configures {@code commandLine} (and its subcommands) and returns it. */
    public static CommandLine configure(CommandLine commandLine) {
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setExpandAtFiles(false) // arguments starting with '@' are data (headers, pass-through args)
                .setParameterExceptionHandler(CommandLineConfigurer::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd));
        addExitCodeList(commandLine);
        commandLine.getSubcommands().values().stream()
                .filter(sub -> sub.getCommandSpec().userObject() instanceof PassThrough)
                .forEach(sub -> sub.setUnmatchedOptionsArePositionalParams(true));
        return commandLine;
    }

    private static void addExitCodeList(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
        commandLine.getSubcommands().values().forEach(CommandLineConfigurer::addExitCodeList);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("p2pdl: " + oneLine(e.getMessage()) + " (try '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int failure(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        int code;
        String line;
        if (e instanceof CliFailure failure) {
            code = failure.exitCode();
            line = failure.getMessage();
        } else if (e instanceof InterruptedException) {
            code = ExitCodes.INTERRUPTED;
            line = "interrupted";
        } else {
            code = ExitCodes.FAILED;
            line = "internal error: " + e;
        }
        cmd.getOut().flush();
        err.println("p2pdl: " + oneLine(line));
        err.flush();
        return code;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
