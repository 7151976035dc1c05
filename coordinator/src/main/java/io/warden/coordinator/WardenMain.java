package io.warden.coordinator;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.log.Logging;
import io.warden.coordinator.cli.Args;
import io.warden.coordinator.cli.LocalCommands;
import io.warden.coordinator.cli.RestoreCommand;
import io.warden.coordinator.cli.SnapshotCommands;
import io.warden.coordinator.cli.ScaleCommand;
import io.warden.coordinator.cli.StatusCommand;
import io.warden.coordinator.cli.SwitchoverCommand;

import java.util.Arrays;
import java.util.List;

/**
 * The coordinator jar's entry point, which {@code bin/warden} calls: {@code coordinator} runs the
 * coordinator; {@code up}, {@code down}, {@code status}, {@code switchover}, {@code snapshot}, {@code snapshots} and
 * {@code restore} are the CLI. A usage or configuration mistake is one line on stderr and exit status 2; a failed operation exit status 1.
 */
public final class WardenMain {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private WardenMain() {
    }

    public static void main(String[] argv) {
        Logging.configure();
        if (argv.length == 0) {
            System.err.println("usage: warden coordinator | up | down | status | switchover | scale | snapshot | snapshots | restore  (see bin/warden --help)");
            System.exit(EXIT_USAGE);
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            int status = switch (argv[0]) {
                case "coordinator" -> {
                    CoordinatorMain.run();
                    yield -1;
                }
                case "up" -> LocalCommands.up(rest);
                case "down" -> LocalCommands.down(rest);
                case "status" -> StatusCommand.run(rest);
                case "snapshot" -> SnapshotCommands.snapshot(rest, System.out, System.err);
                case "snapshots" -> SnapshotCommands.list(rest, System.out, System.err);
                case "restore" -> RestoreCommand.run(rest, Env.system(), LocalCommands.programs(), System.out, System.err);
                case "switchover" -> SwitchoverCommand.run(rest);
                case "scale" -> ScaleCommand.run(rest);
                default -> throw new Args.UsageError(argv[0], "unknown command");
            };
            if (status >= 0) {
                System.exit(status);
            }
        } catch (Args.UsageError e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
        } catch (ConfigException e) {
            System.err.println("warden " + argv[0] + ": " + e.getMessage());
            System.exit(EXIT_USAGE);
        }
    }

    /** Ends a process that cannot start, with one line. */
    static void die(Throwable failure) {
        System.err.println(failure instanceof ConfigException ? "warden coordinator: " + failure.getMessage()
                : "warden coordinator: cannot start: " + failure);
        Runtime.getRuntime().halt(EXIT_USAGE);
    }
}
