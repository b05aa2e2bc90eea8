package dev.redmesh.link;

import java.util.List;

/** How far each link's shards have got, as the fleet last heard from its workers. */
public interface LinkProgress {

    List<LinkResponse.ShardAssignment> shards(String linkId);

    /**
     * Links with their shards' progress, optionally only from {@code source} and/or to {@code target},
     * by id: the list endpoint's read, in one query (it is the dashboard's and CI's most frequent call).
     */
    List<LinkResponse> list(String source, String target);
}
