package io.warden.agent.failover;

import io.warden.common.redis.RedisInfoParser;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StartRoleTest {

    @Test
    void masterWithReplicasRestartsAsAReplicaOfTheMostUpToDateOne() {
        String info = "role:master\r\nconnected_slaves:2\r\n"
                + "slave0:ip=10.0.0.2,port=6379,state=online,offset=900,lag=0\r\n"
                + "slave1:ip=10.0.0.3,port=6380,state=online,offset=1000,lag=0\r\n";

        assertEquals("replicaof 10.0.0.3 6380", lastLine(StartRole.of(RedisInfoParser.parse(info))));
    }

    @Test
    void replicaRestartsFollowingItsMaster() {
        String info = "role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:down\r\n";

        assertEquals("replicaof 10.0.0.1 6379", lastLine(StartRole.of(RedisInfoParser.parse(info))));
    }

    @Test
    void loneMasterRestartsAsAMaster() {
        assertEquals("# a master without replicas restarts as a master", lastLine(StartRole.of(RedisInfoParser.parse("role:master\r\n"))));
    }

    @Test
    void clusterModeKeepsItsRolesInNodesConf() {
        assertEquals(Optional.empty(), StartRole.of(RedisInfoParser.parse("role:master\r\ncluster_enabled:1\r\n")));
    }

    private static String lastLine(Optional<String> content) {
        String[] lines = content.orElseThrow().strip().split("\n");
        return lines[lines.length - 1];
    }
}
