package io.warden.common.wire;

/**
 * The answer to a switchover that completed: the shard, who was master and who is now (both confirmed from their
 * agents' reports), how long it took, and the sentence the topology history records.
 */
public record SwitchoverResult(String shard, String oldMaster, String newMaster, long durationMs, String outcome) {
}
