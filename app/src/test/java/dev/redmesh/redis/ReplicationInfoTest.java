package dev.redmesh.redis;



import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationInfoTest {

    @Test
    void readsAMasterWithReplicas() {
        ReplicationInfo info = ReplicationInfo.parse("""
                # Replication\r
                role:master\r
                connected_slaves:2\r
                slave0:ip=127.0.0.1,port=7001,state=online,offset=1520,lag=0\r
                slave1:ip=10.0.0.9,port=7002,state=wait_bgsave,offset=0,lag=1\r
                master_failover_state:no-failover\r
                master_replid:8f3c1a4e0d1f2a3b4c5d6e7f8091a2b3c4d5e6f7\r
                master_replid2:0000000000000000000000000000000000000000\r
                master_repl_offset:1520\r
                second_repl_offset:-1\r
                """);
        assertThat(info.role()).isEqualTo(NodeRole.MASTER);
        assertThat(info.offset()).isEqualTo(1520);
        assertThat(info.replicas()).containsExactly(new HostAndPort("127.0.0.1", 7001), new HostAndPort("10.0.0.9", 7002));
        assertThat(info.secondReplOffset()).isEqualTo(-1);
        assertThat(info.masterAddress()).isNull();
    }

    @Test
    void aReplicationClientThatAnnouncesNoListeningPortIsNotANode() {
        ReplicationInfo info = ReplicationInfo.parse("""
                role:master
                slave0:ip=127.0.0.1,port=7001,state=online,offset=10,lag=0
                slave1:ip=127.0.0.1,port=0,state=online,offset=10,lag=0
                master_repl_offset:10
                """);
        assertThat(info.replicas()).as("a sync worker (REPLCONF listening-port 0) is left out")
                .containsExactly(new HostAndPort("127.0.0.1", 7001));
    }

    @Test
    void readsAReplicaWithItsOwnOffsetAndHistory() {
        ReplicationInfo info = ReplicationInfo.parse("""
                role:slave
                master_host:127.0.0.1
                master_port:7000
                master_link_status:up
                slave_repl_offset:1400
                master_replid:aaaa
                master_replid2:bbbb
                master_repl_offset:1520
                second_repl_offset:1001
                """);
        assertThat(info.role()).isEqualTo(NodeRole.REPLICA);
        assertThat(info.masterAddress()).isEqualTo(new HostAndPort("127.0.0.1", 7000));
        assertThat(info.masterLinkUp()).isTrue();
        assertThat(info.offset()).isEqualTo(1400);
        assertThat(info.replid2()).isEqualTo("bbbb");
        assertThat(info.secondReplOffset()).isEqualTo(1001);
    }
}
