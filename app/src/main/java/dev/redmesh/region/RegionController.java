package dev.redmesh.region;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import dev.redmesh.web.ResourceNames;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/regions")
@Tag(name = "regions", description = "Geographic regions that hold Redis deployments")
class RegionController {

    private final RegionService service;
    private final dev.redmesh.web.MergePatch patches;

    RegionController(RegionService service, dev.redmesh.web.MergePatch patches) {
        this.service = service;
        this.patches = patches;
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create (201) or update (200) a region; idempotent")
    ResponseEntity<RegionResponse> put(@PathVariable String name, @Valid @RequestBody RegionRequest request) {
        ResourceNames.requireValidPath(name);
        RegionService.Applied applied = service.apply(name, request);
        RegionResponse body = RegionResponse.of(applied.region(), service.proxySettings(applied.region()),
                service.clustersIn(name));
        return applied.created()
                ? ResponseEntity.created(URI.create("/api/v1/regions/" + name)).body(body)
                : ResponseEntity.ok(body);
    }

    @org.springframework.web.bind.annotation.PatchMapping(path = "/{name}",
            consumes = {dev.redmesh.web.MergePatch.MEDIA_TYPE, org.springframework.http.MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Change only the fields given (JSON merge patch, RFC 7386: null removes one); 404 if there is no such region",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = RegionRequest.class))))
    RegionResponse patch(@PathVariable String name, @RequestBody tools.jackson.databind.JsonNode patch) {
        Region current = service.get(name);
        RegionRequest merged = patches.apply(new RegionRequest(current.getDisplayName(), current.getCloud(),
                service.proxySettings(current)), patch, RegionRequest.class);
        Region applied = service.apply(name, merged).region();
        return RegionResponse.of(applied, service.proxySettings(applied), service.clustersIn(name));
    }

    @GetMapping
    @Operation(summary = "List regions")
    List<RegionResponse> list() {
        return service.list().stream().map(r -> RegionResponse.of(r, service.proxySettings(r), service.clustersIn(r.getName()))).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read one region")
    RegionResponse get(@PathVariable String name) {
        return RegionResponse.of(service.get(name), service.proxySettings(service.get(name)),
                service.clustersIn(name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a region; 409 while it still has clusters")
    void delete(@PathVariable String name) {
        service.delete(name);
    }
}
