package io.warden.coordinator.plan;

import java.util.List;

/** What one phase of a planner found: steps to run now (maybe none), the sentence for them, and what it could not do. */
record Decision(List<Step> steps, String outcome, List<String> problems) {

    Decision {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    static Decision none(List<String> problems) {
        return new Decision(List.of(), "", problems);
    }

    boolean acts() {
        return !steps.isEmpty();
    }
}
