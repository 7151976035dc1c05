package io.warden.common.redis;

/**
 * A slot left open by a migration, as CLUSTER NODES shows it on the {@code myself} line:
 * {@code [100->-<peer>]} (migrating to peer) or {@code [100-<-<peer>]} (importing from peer).
 */
public record OpenSlot(int slot, Direction direction, String peerNodeId) {

    public enum Direction { MIGRATING, IMPORTING }
}
