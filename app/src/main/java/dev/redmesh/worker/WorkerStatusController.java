package dev.redmesh.worker;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.redmesh.sync.SyncStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "worker", description = "The links this process runs as a sync worker")
class WorkerStatusController {

    private final ConfiguredLinks links;
    private final FleetAgent agent;

    WorkerStatusController(ConfiguredLinks links, FleetAgent agent) {
        this.links = links;
        this.agent = agent;
    }

    @GetMapping("/api/v1/worker/links")
    @Operation(summary = "Progress of every link and assignment this worker runs: phase, offsets, lag, counts, queue")
    List<SyncStatus> links() {
        List<SyncStatus> all = new java.util.ArrayList<>(links.status());
        all.addAll(agent.status());
        return all;
    }
}
