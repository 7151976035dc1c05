package io.warden.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Redis's own {@code redis-cli} (package redis-tools): a peer tool's verdict, e.g. {@code --cluster check}. */
public final class RedisCli {

    /** Exit status and everything printed (colours stripped). */
    public record Result(int exit, String output) {
    }

    private RedisCli() {
    }

    public static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(RedisBinaries.redisCli().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("redis-cli " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), output.replaceAll("\u001B\\[[0-9;]*m", ""));
        } catch (IOException e) {
            throw new AssertionError("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
