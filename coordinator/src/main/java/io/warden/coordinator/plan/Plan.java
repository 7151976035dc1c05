package io.warden.coordinator.plan;

import java.util.List;

/**
 * What one reconcile decided: the steps to run now (possibly none), one sentence saying what and why (logged
 * once, asserted by tests), and the problems that keep the deployment from being healthy.
 */
public record Plan(List<Step> steps, String outcome, List<String> problems) {

    public Plan {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    public static Plan nothing(String outcome, List<String> problems) {
        return new Plan(List.of(), outcome, problems);
    }

    public boolean idle() {
        return steps.isEmpty();
    }
}
