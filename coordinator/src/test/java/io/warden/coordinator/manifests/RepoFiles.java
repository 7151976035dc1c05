package io.warden.coordinator.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of this repository, found from the module's working directory upwards (tests run in coordinator/). */
final class RepoFiles {

    private RepoFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("manifests"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no manifests/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path manifests() {
        return root().resolve("manifests");
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under {@code dir} whose name ends with one of {@code suffixes}, sorted. */
    static List<Path> under(Path dir, String... suffixes) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The main Java sources of a module, e.g. "agent", as one text per file. */
    static List<Path> mainSources(String module) {
        return under(root().resolve(module).resolve("src/main/java"), ".java");
    }
}
