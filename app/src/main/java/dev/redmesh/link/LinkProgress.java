package dev.redmesh.link;

import java.util.List;
import java.util.Map;

/** How far each link's shards have got, as the fleet last heard from its workers. */
public interface LinkProgress {

    List<LinkResponse.ShardAssignment> shards(String linkId);

    Map<String, List<LinkResponse.ShardAssignment>> shardsByLink();
}
