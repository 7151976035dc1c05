package io.warden.common.redis;

/**
 * One {@code slaveN:ip=…,port=…,state=…,offset=…,lag=…} line of a master's INFO replication: a replica
 * as its master sees it. {@code offset} is the replica's acknowledged replication offset; {@code lagSeconds}
 * the seconds since its last acknowledgement.
 */
public record ReplicaLink(String ip, int port, String state, long offset, long lagSeconds) {

    public boolean online() {
        return "online".equals(state);
    }
}
