import io.warden.testkit.ClusterLoader;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.WriterReport;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Helpers for bench/scale.sh, run as a single-file program on testkit's classes and the agent jar (Lettuce):
 *   load  HOST:PORT COUNT          SET k:0..k:COUNT-1 (16-byte values) through the cluster client, pipelined
 *   write HOST:PORT RATE STOPFILE  the continuous writer (cluster client) until STOPFILE exists; then reads every
 *                                  acknowledged write back and prints the report on one line
 */
public class ScaleBench {

    public static void main(String[] args) throws Exception {
        InetSocketAddress seed = address(args[1]);
        switch (args[0]) {
            case "load" -> ClusterLoader.load(List.of(seed), "k:", Long.parseLong(args[2]), 16);
            case "write" -> write(seed, Integer.parseInt(args[2]), Path.of(args[3]));
            default -> throw new IllegalArgumentException("load or write, got " + args[0]);
        }
    }

    private static void write(InetSocketAddress seed, int rate, Path stop) throws Exception {
        try (ContinuousWriter writer = ContinuousWriter.cluster(List.of(seed), rate)) {
            while (!Files.exists(stop)) {
                Thread.sleep(100);
            }
            WriterReport report = writer.stopAndVerify();
            long errors = report.errors().values().stream().mapToLong(Long::longValue).sum();
            System.out.println("writer: " + report.acknowledged() + " acknowledged, " + errors + " errors " + report.errors() + ", "
                    + report.lost() + " lost, " + report.wrongValue() + " wrong, longest gap " + report.longestGap().toMillis() + " ms");
        }
        System.exit(0);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
