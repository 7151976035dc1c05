package io.warden.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warden.agent.actions.ActionExecutor;
import io.warden.agent.actions.EpochFence;
import io.warden.common.http.Responses;
import io.warden.common.wire.Action;
import io.warden.common.wire.BadInput;
import io.warden.common.wire.Instruction;
import io.warden.common.wire.InstructionResult;
import io.warden.common.wire.WireJson;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * {@code POST /v1/instructions}: the leader pushes an instruction the moment it decides, so an action starts
 * within one round trip, not one heartbeat. Answers 200 with the result when carried out, 409 when the epoch
 * is stale (a deposed leader), 422 when Redis refused it, 400 when the body is not an instruction.
 */
public final class InstructionEndpoint implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(InstructionEndpoint.class.getName());

    private final EpochFence fence;
    private final ActionExecutor executor;
    private final AtomicReference<InstructionResult> lastResult;
    private final AtomicLong applied;
    private final Runnable afterAction;

    /**
     * @param applied     the count of instructions carried out, which numbers each result
     * @param afterAction run after each one: observe and report at once, so the coordinator sees the change soon
     */
    public InstructionEndpoint(EpochFence fence, ActionExecutor executor, AtomicReference<InstructionResult> lastResult,
                               AtomicLong applied, Runnable afterAction) {
        this.fence = fence;
        this.executor = executor;
        this.lastResult = lastResult;
        this.applied = applied;
        this.afterAction = afterAction;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Instruction instruction;
        try {
            instruction = WireJson.decode(ctx.body().asString(), Instruction.class);
            if (instruction.id() == null || instruction.id().isBlank()) {
                throw new BadInput("field 'id': expected a non-empty string");
            }
            if (instruction.action() == null) {
                throw new BadInput("field 'action': expected one of " + Arrays.toString(Action.values()));
            }
            instruction.missingArgument().ifPresent(arg -> {
                throw new BadInput("field 'args." + arg + "': " + instruction.action() + " needs it");
            });
        } catch (BadInput e) {
            Responses.error(ctx, 400, e.getMessage());
            return;
        }
        if (!fence.admit(instruction.epoch())) {
            Responses.error(ctx, 409, "stale epoch " + instruction.epoch() + ": the newest this agent has seen is " + fence.newest());
            return;
        }
        Future.fromCompletionStage(executor.execute(instruction), ctx.vertx().getOrCreateContext()).onComplete(done -> {
            InstructionResult result = (done.succeeded() ? done.result()
                    : new InstructionResult(instruction.id(), false, String.valueOf(done.cause()))).numbered(applied.incrementAndGet());
            lastResult.set(result);
            afterAction.run();
            LOG.info(instruction.action() + " " + instruction.args() + " (epoch " + instruction.epoch() + "): "
                    + (result.ok() ? "done, " : "refused, ") + result.message());
            Responses.json(ctx, result.ok() ? 200 : 422, new JsonObject(WireJson.encode(result)));
        });
    }
}
