package io.warden.agent.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a container memory limit from cgroup files: v2's {@code memory.max} (in this process's cgroup, from
 * {@code /proc/self/cgroup}, or at the root when the cgroup namespace hides the path), else v1's
 * {@code memory/memory.limit_in_bytes}. "max" and v1's near-2^63 sentinel mean no limit.
 */
public final class ContainerMemoryLimit {

    /** cgroup v1 reports "unlimited" as a page-aligned number near Long.MAX_VALUE; anything past 2^60 is that. */
    private static final long V1_UNLIMITED = 1L << 60;

    private ContainerMemoryLimit() {
    }

    public static OptionalLong read(Path cgroupRoot, Path procSelfCgroup) {
        OptionalLong v2 = readV2(cgroupRoot, procSelfCgroup);
        if (v2.isPresent()) {
            return v2;
        }
        return parse(cgroupRoot.resolve("memory/memory.limit_in_bytes"));
    }

    private static OptionalLong readV2(Path cgroupRoot, Path procSelfCgroup) {
        String own = ownV2Path(procSelfCgroup);
        if (!own.isEmpty()) {
            OptionalLong nested = parse(cgroupRoot.resolve(own).resolve("memory.max"));
            if (nested.isPresent()) {
                return nested;
            }
        }
        return parse(cgroupRoot.resolve("memory.max"));
    }

    /** The v2 line of /proc/self/cgroup is {@code 0::/path}; answers the path without its leading slash. */
    private static String ownV2Path(Path procSelfCgroup) {
        try {
            for (String line : Files.readAllLines(procSelfCgroup)) {
                if (line.startsWith("0::")) {
                    return line.substring(3).replaceFirst("^/+", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not on Linux, or no cgroup v2: fall back to the root.
        }
        return "";
    }

    static OptionalLong parse(Path file) {
        try {
            String value = Files.readString(file).strip();
            if (value.isEmpty() || value.equals("max")) {
                return OptionalLong.empty();
            }
            long bytes = Long.parseLong(value);
            return bytes <= 0 || bytes >= V1_UNLIMITED ? OptionalLong.empty() : OptionalLong.of(bytes);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
