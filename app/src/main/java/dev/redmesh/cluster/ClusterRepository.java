package dev.redmesh.cluster;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ClusterRepository extends JpaRepository<Cluster, String> {

    List<Cluster> findAllByOrderByNameAsc();

    List<Cluster> findByRegionOrderByNameAsc(String region);

    List<Cluster> findByMeshOrderByNameAsc(String mesh);

    List<Cluster> findByMeshIsNotNullOrderByNameAsc();
}
