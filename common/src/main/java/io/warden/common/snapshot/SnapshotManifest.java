package io.warden.common.snapshot;

import java.util.List;

/**
 * What a snapshot is, written as JSON next to its RDB ({@code <name>.json} beside {@code <name>.rdb}). Its
 * presence marks the snapshot complete: it is written last, after the RDB was streamed and checked.
 *
 * @param id                {@code <shard>-<name>}: what the agent's API and the CLI call it
 * @param deployment        the deployment it belongs to ({@code WARDEN_DEPLOYMENT})
 * @param shard             the shard ({@code shard-0}, …) as the topology document names it
 * @param name              the timestamp that names the files, e.g. {@code 20261122T101530123Z}
 * @param slots             slot ranges the shard served (cluster mode; empty otherwise)
 * @param nodeId            the Redis Cluster node ID it was taken on (cluster mode; "" otherwise)
 * @param pod               the pod (agent name) it was taken on
 * @param role              that node's role then: master or replica
 * @param redisVersion      the Redis that wrote the RDB
 * @param sizeBytes         the RDB's size
 * @param sha256            hex SHA-256 of the RDB
 * @param crc64             hex CRC64 of the RDB, as its trailer holds it
 * @param replicationOffset the node's replication offset when the save finished
 * @param keys              keys in the dataset when the save finished
 * @param startedAt         when the snapshot was asked for (ISO-8601 UTC)
 * @param finishedAt        when it was complete
 */
public record SnapshotManifest(String id, String deployment, String shard, String name, List<String> slots, String nodeId,
                               String pod, String role, String redisVersion, long sizeBytes, String sha256, String crc64,
                               long replicationOffset, long keys, String startedAt, String finishedAt) {

    public SnapshotManifest {
        slots = slots == null ? List.of() : List.copyOf(slots);
        nodeId = nodeId == null ? "" : nodeId;
    }

    public static String idOf(String shard, String name) {
        return shard + "-" + name;
    }
}
