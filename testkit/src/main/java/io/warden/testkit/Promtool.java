package io.warden.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool check metrics} (Debian package prometheus) on exposition text: the reference lint. */
public final class Promtool {

    private Promtool() {
    }

    /** Fails with promtool's complaints when it rejects the text. */
    public static void assertValid(String exposition) {
        String promtool = RedisBinaries.find("promtool", "prometheus").toString();
        try {
            Process process = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("promtool check metrics rejected the output (exit " + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running promtool", e);
        }
    }

    /** Fails with promtool's complaints when {@code promtool check rules} rejects the rules file. */
    public static void assertRulesValid(java.nio.file.Path rulesFile) {
        String promtool = RedisBinaries.find("promtool", "prometheus").toString();
        try {
            Process process = new ProcessBuilder(promtool, "check", "rules", rulesFile.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("promtool check rules rejected " + rulesFile + " (exit " + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running promtool", e);
        }
    }
}
