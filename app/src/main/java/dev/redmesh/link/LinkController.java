package dev.redmesh.link;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/links")
@Tag(name = "links", description = "Replication links between clusters")
class LinkController {

    private final LinkService service;
    private final LinkProgress progress;

    LinkController(LinkService service, LinkProgress progress) {
        this.service = service;
        this.progress = progress;
    }

    private LinkResponse response(ReplicationLink link) {
        return service.response(link, progress.shards(link.getId()));
    }

    @GetMapping
    @Operation(summary = "List links, optionally only those from a source and/or to a target cluster")
    List<LinkResponse> list(@RequestParam(required = false) String source, @RequestParam(required = false) String target) {
        return service.list(source, target, progress);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read one link; its id is <source>.<target>")
    LinkResponse get(@PathVariable String id) {
        return response(service.get(id));
    }

    @PostMapping
    @Operation(summary = "Create an explicit link outside any mesh; 409 if the pair is already linked")
    ResponseEntity<LinkResponse> create(@RequestBody LinkRequest request) {
        ReplicationLink link = service.createExplicit(request);
        return ResponseEntity.created(URI.create("/api/v1/links/" + link.getId())).body(response(link));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an explicit link; mesh links go when a cluster leaves the mesh (409 here)")
    void delete(@PathVariable String id) {
        service.deleteExplicit(id);
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Stop carrying writes on this link (idempotent)")
    LinkResponse pause(@PathVariable String id) {
        return response(service.pause(id));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused or broken link (idempotent)")
    LinkResponse resume(@PathVariable String id) {
        return response(service.resume(id));
    }
}
