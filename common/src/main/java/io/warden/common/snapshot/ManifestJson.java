package io.warden.common.snapshot;

import io.warden.common.wire.BadInput;
import io.warden.common.wire.WireJson;

/** The manifest's JSON, through the one mapping of wire records; anything unreadable is an {@link IllegalArgumentException}. */
public final class ManifestJson {

    private ManifestJson() {
    }

    public static String encode(SnapshotManifest manifest) {
        return WireJson.encode(manifest);
    }

    public static SnapshotManifest decode(String json) {
        try {
            SnapshotManifest manifest = WireJson.decode(json, SnapshotManifest.class);
            if (manifest.sha256() == null || manifest.sha256().length() != 64 || manifest.crc64() == null || manifest.shard() == null) {
                throw new IllegalArgumentException("it lacks sha256, crc64 or shard");
            }
            return manifest;
        } catch (BadInput e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
