package dev.redmesh.link;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** How far each link's shards have got, as the fleet last heard from its workers (the fleet's table, read by the fleet). */
public interface LinkProgress {

    List<LinkResponse.ShardAssignment> shards(String linkId);

    /** The shards of every named link, in one read: the links list is the dashboard's and CI's most frequent call. */
    Map<String, List<LinkResponse.ShardAssignment>> shardsOf(Collection<String> linkIds);
}
