package io.warden.common.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where one snapshot lives in a target: {@code <deployment>/<shard>/<name>.rdb} and {@code <name>.json}. The
 * name is the UTC time it was asked for, to the millisecond, so names sort as times do.
 */
public record SnapshotKey(String deployment, String shard, String name) {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    public static SnapshotKey at(String deployment, String shard, Instant time) {
        return new SnapshotKey(deployment, shard, NAME.format(time));
    }

    /** The time a name stands for. */
    public static Instant timeOf(String name) {
        return NAME.parse(name, Instant::from);
    }

    public Instant time() {
        return timeOf(name);
    }

    public String id() {
        return SnapshotManifest.idOf(shard, name);
    }

    /** The RDB's path relative to the target's root; empty segments (a single named file) are left out. */
    public String rdbPath() {
        return path(name + ".rdb");
    }

    public String manifestPath() {
        return path(name + ".json");
    }

    private String path(String file) {
        return Stream.of(deployment, shard, file).filter(s -> !s.isEmpty()).collect(Collectors.joining("/"));
    }
}
