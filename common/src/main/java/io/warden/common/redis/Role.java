package io.warden.common.redis;

/** A Redis server's replication role, as INFO reports it ({@code role:master} or {@code role:slave}). */
public enum Role {
    MASTER("master"),
    REPLICA("replica");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name the contract uses in JSON and labels: {@code master} or {@code replica}. */
    public String wireName() {
        return wireName;
    }

    static Role fromInfo(String value) {
        return switch (value) {
            case "master" -> MASTER;
            case "slave", "replica" -> REPLICA;
            default -> throw new IllegalArgumentException("unknown role in INFO: " + value);
        };
    }
}
