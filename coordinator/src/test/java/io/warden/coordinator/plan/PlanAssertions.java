package io.warden.coordinator.plan;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps as one line each, "node ACTION arg arg", in the order the action names its arguments. */
final class PlanAssertions {

    private PlanAssertions() {
    }

    static List<String> steps(Plan plan) {
        return plan.steps().stream().map(PlanAssertions::line).toList();
    }

    /** Node, action and arguments; a slot map ({@code owners}, hundreds of characters) is left for tests to check apart. */
    static String line(Step step) {
        String args = step.action().arguments().stream().filter(a -> !a.equals("owners")).map(a -> step.args().get(a))
                .collect(Collectors.joining(" "));
        return (step.node() + " " + step.action() + " " + args).strip();
    }

    static void assertProblem(Plan plan, String problem) {
        assertTrue(plan.problems().contains(problem), () -> "expected problem <" + problem + "> in " + plan.problems());
    }
}
