package io.warden.common.wire;

import java.util.Map;
import java.util.Optional;

/**
 * One action for one agent, stamped with the coordinator's epoch. An agent refuses an instruction whose
 * epoch is older than the newest it has seen: a deposed leader can do no harm.
 *
 * @param id     stable for the same step, so a repeat is recognised
 * @param epoch  the leadership term that decided it
 * @param action what to do
 * @param args   the action's arguments, by name (see {@link Action#arguments()})
 */
public record Instruction(String id, long epoch, Action action, Map<String, String> args) {

    public Instruction {
        args = args == null ? Map.of() : Map.copyOf(args);
    }

    /** The first argument the action needs that is missing, if any; {@code "action"} when there is no action. */
    public Optional<String> missingArgument() {
        if (action == null) {
            return java.util.Optional.of("action");
        }
        return action.arguments().stream().filter(a -> args.get(a) == null || args.get(a).isBlank()).findFirst();
    }
}
