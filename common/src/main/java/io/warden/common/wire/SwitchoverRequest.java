package io.warden.common.wire;

/**
 * The body of {@code POST /v1/shards/{id}/switchover}; every field is optional and an empty body asks for the
 * coordinator's choice.
 *
 * @param to   the node to hand the shard's master role to; absent: the coordinator picks the best in-sync replica
 * @param from the node the caller expects to be the shard's master (an agent's preStop names itself): when another
 *             node is master by now, the request is refused rather than moving a master nobody asked to move
 */
public record SwitchoverRequest(String to, String from) {

    public static final SwitchoverRequest ANY = new SwitchoverRequest(null, null);
}
