package io.p2pdl.cli.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds {@code java <opts> -jar <jar> <args>} command lines for child JVMs. */
public final class JavaCommand {

    private JavaCommand() {
    }

    /** The java launcher of the running JVM, so children use the same Java as the CLI. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line; {@code opts} is split on whitespace like a shell would split an unquoted variable. */
    public static List<String> of(String opts, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        if (opts != null && !opts.isBlank()) {
            command.addAll(Arrays.asList(opts.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }
}
