package io.warden.agent.failover;

import io.warden.agent.redis.RedisConnector;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.redis.RestartedMaster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the coordinator's GuardedRestart decides, decided by a guarded master's own agent when no coordinator answers
 * (Redis keeps serving when Warden is down): it asks each replica its view lists (not failing) for its key count
 * directly; the fullest takes over with CLUSTER FAILOVER FORCE when {@link RestartedMaster} says so, else the guard is
 * lifted. A replica that does not answer is left out: by now it has had the agent's whole patience to come back.
 */
final class LocalRestartDecision {

    private record Candidate(ClusterNodeEntry entry, RedisConnector connector, long keys) {
    }

    private LocalRestartDecision() {
    }

    static CompletionStage<String> decide(RedisNode node, RedisObservation seen, StartGuardState guard, String why) {
        ClusterNodeEntry myself = seen.clusterNodes().stream().filter(ClusterNodeEntry::myself).findFirst().orElse(null);
        long myKeys = seen.info().map(i -> i.keyCount()).orElse(0L);
        if (myself == null) {
            return guard.lift(why + "; no cluster view to find replicas in");
        }
        List<CompletableFuture<Candidate>> asked = new ArrayList<>();
        seen.clusterNodes().stream()
                .filter(n -> n.replica() && myself.id().equals(n.masterId()) && !n.failing() && !n.host().isEmpty())
                .forEach(n -> {
                    RedisConnector connector = node.connectorTo(n.host(), n.port());
                    asked.add(connector.connection()
                            .thenCompose(c -> c.async().info("keyspace"))
                            .thenApply(text -> new Candidate(n, connector, RedisInfoParser.parse(text).keyCount()))
                            .exceptionally(failure -> new Candidate(n, connector, -1))
                            .toCompletableFuture());
                });
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<Candidate> answered = asked.stream().map(CompletableFuture::join).toList();
            Candidate fullest = answered.stream().filter(c -> c.keys() >= 0).max(Comparator.comparingLong(Candidate::keys)).orElse(null);
            CompletionStage<String> decided;
            if (fullest != null && RestartedMaster.replicaTakesOver(myKeys, fullest.keys())) {
                String sentence = why + "; replica " + fullest.entry().address() + " holds " + fullest.keys() + " keys (this master "
                        + myKeys + ") and takes over with CLUSTER FAILOVER FORCE";
                decided = fullest.connector().connection().thenCompose(c -> c.async().clusterFailover(true)).thenApply(ok -> sentence);
            } else {
                decided = guard.lift(why + "; no replica holds more than this master's " + myKeys + " keys ("
                        + answered.stream().map(c -> c.entry().address() + ": " + (c.keys() < 0 ? "no answer" : c.keys())).toList() + ")");
            }
            return decided.whenComplete((done, failure) -> answered.forEach(c -> c.connector().closeAsync()));
        });
    }
}
