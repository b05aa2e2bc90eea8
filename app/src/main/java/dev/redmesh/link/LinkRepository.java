package dev.redmesh.link;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface LinkRepository extends JpaRepository<ReplicationLink, String> {

    @Query("select l from ReplicationLink l where l.source = :cluster or l.target = :cluster order by l.id")
    List<ReplicationLink> touching(String cluster);

    List<ReplicationLink> findByMeshOrderById(String mesh);

    List<ReplicationLink> findByModeOrderById(LinkMode mode);

    boolean existsBySourceAndTarget(String source, String target);
}
