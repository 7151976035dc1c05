package io.warden.agent.snapshot;

/**
 * One snapshot the agent was asked for, as {@code GET /v1/snapshots} shows it.
 *
 * @param id         {@code <shard>-<name>}: the snapshot's name in the target once it succeeded
 * @param shard      the shard it is of
 * @param trigger    who asked: api, coordinator or schedule
 * @param state      running, succeeded or failed
 * @param reason     why it failed ("" otherwise)
 * @param startedAt  ISO-8601
 * @param finishedAt ISO-8601, "" while running
 * @param sizeBytes  the RDB's size once published
 * @param streamed   once published: {@code while-saving} (the RDB was copied as Redis wrote it) or {@code after-save}
 *                   (the finished file was copied); "" otherwise
 */
public record SnapshotJob(String id, String shard, String trigger, String state, String reason, String startedAt,
                          String finishedAt, long sizeBytes, String streamed) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String WHILE_SAVING = "while-saving";
    public static final String AFTER_SAVE = "after-save";

    SnapshotJob finished(String newState, String why, String at, long size, String how) {
        return new SnapshotJob(id, shard, trigger, newState, why, startedAt, at, size, how);
    }
}
