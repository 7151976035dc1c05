package io.warden.agent.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fake cgroup trees under a temporary directory, laid out as the kernel mounts them. */
class ContainerMemoryLimitTest {

    @TempDir
    Path root;

    @TempDir
    Path proc;

    private Path write(Path base, String relative, String content) throws IOException {
        Path file = base.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** /proc/self/cgroup inside a container with a cgroup namespace: the v2 path is the root. */
    private Path namespacedProc() throws IOException {
        return write(proc, "cgroup", "0::/\n");
    }

    @Test
    void v2LimitAtTheRoot() throws IOException {
        write(root, "memory.max", "1073741824\n");
        assertEquals(OptionalLong.of(1073741824L), ContainerMemoryLimit.read(root, namespacedProc()));
    }

    @Test
    void v2MaxMeansNoLimit() throws IOException {
        write(root, "memory.max", "max\n");
        assertEquals(OptionalLong.empty(), ContainerMemoryLimit.read(root, namespacedProc()));
    }

    @Test
    void v2LimitInOwnNestedCgroup() throws IOException {
        write(root, "kubepods/pod1/c1/memory.max", "536870912\n");
        Path self = write(proc, "cgroup", "0::/kubepods/pod1/c1\n");
        assertEquals(OptionalLong.of(536870912L), ContainerMemoryLimit.read(root, self));
    }

    @Test
    void v2NestedCgroupIsPreferredOverTheRoot() throws IOException {
        write(root, "memory.max", "4294967296\n");
        write(root, "kubepods/pod1/c1/memory.max", "536870912\n");
        Path self = write(proc, "cgroup", "0::/kubepods/pod1/c1\n");
        assertEquals(OptionalLong.of(536870912L), ContainerMemoryLimit.read(root, self));
    }

    @Test
    void ownCgroupPathAbsentUnderTheMountFallsBackToTheRoot() throws IOException {
        write(root, "memory.max", "1073741824\n");
        Path self = write(proc, "cgroup", "0::/kubepods/pod1/c1\n");
        assertEquals(OptionalLong.of(1073741824L), ContainerMemoryLimit.read(root, self));
    }

    @Test
    void missingProcSelfCgroupFallsBackToTheRoot() throws IOException {
        write(root, "memory.max", "1073741824\n");
        assertEquals(OptionalLong.of(1073741824L), ContainerMemoryLimit.read(root, proc.resolve("absent")));
    }

    @Test
    void v1LimitInBytes() throws IOException {
        write(root, "memory/memory.limit_in_bytes", "268435456\n");
        Path self = write(proc, "cgroup", "12:memory:/kubepods/pod1/c1\n");
        assertEquals(OptionalLong.of(268435456L), ContainerMemoryLimit.read(root, self));
    }

    @Test
    void v1UnlimitedSentinelMeansNoLimit() throws IOException {
        write(root, "memory/memory.limit_in_bytes", "9223372036854771712\n");
        Path self = write(proc, "cgroup", "12:memory:/\n");
        assertEquals(OptionalLong.empty(), ContainerMemoryLimit.read(root, self));
    }

    @Test
    void nothingPresentMeansNoLimit() throws IOException {
        assertEquals(OptionalLong.empty(), ContainerMemoryLimit.read(root, namespacedProc()));
    }

    @Test
    void garbageInMemoryMaxMeansNoLimit() throws IOException {
        write(root, "memory.max", "lots\n");
        assertEquals(OptionalLong.empty(), ContainerMemoryLimit.read(root, namespacedProc()));
    }
}
