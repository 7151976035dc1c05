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
 */
public record SnapshotJob(String id, String shard, String trigger, String state, String reason, String startedAt,
                          String finishedAt, long sizeBytes) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    SnapshotJob finished(String newState, String why, String at, long size) {
        return new SnapshotJob(id, shard, trigger, newState, why, startedAt, at, size);
    }
}
