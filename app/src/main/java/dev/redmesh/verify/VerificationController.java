package dev.redmesh.verify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.redmesh.identity.Caller;

@RestController
@Tag(name = "verifications", description = "Prove that a mesh's regions hold the same data, and repair what differs")
class VerificationController {

    /** Divergent keys shown with a verification; all of them (up to the stored cap) are repaired. */
    static final int SAMPLES = 100;

    private final VerificationService service;
    /** Stored with the kinds: keys that still differed at the last pass but had changed since the one before. */
    static final String IN_FLIGHT = "IN_FLIGHT";

    VerificationController(VerificationService service) {
        this.service = service;
    }

    record Progress(long keysChecked, long keysEstimated, @Nullable Long etaSeconds) {
    }

    record Seen(String type, long ttlMs, @Nullable String digest) {
    }

    /** @param key the key as UTF-8, bytes that are not printable as {@code \xNN} */
    record Sample(String key, int db, Comparison.Kind kind, Map<String, Seen> regions) {
    }

    record VerificationResponse(String id, String mesh, VerificationStore.State state, VerificationStore.Request request,
                                Progress progress, List<VerificationStore.PassCount> passes, @Nullable Long divergentKeys,
                                Map<String, Long> kinds, long keysInFlight, List<Sample> samples, @Nullable String reason, String requestedBy,
                                @Nullable Map<String, Object> repair, Instant createdAt, @Nullable Instant finishedAt) {
    }

    @PostMapping("/api/v1/meshes/{mesh}/verifications")
    @Operation(summary = "Start verifying every member of the mesh against every other (202); 409 while one runs")
    ResponseEntity<VerificationResponse> start(@PathVariable String mesh,
                                               @RequestBody(required = false) VerificationService.Request request) {
        VerificationStore.Row row = service.start(mesh, request == null
                ? new VerificationService.Request(null, null, null, null, null) : request, caller());
        return ResponseEntity.accepted().location(URI.create("/api/v1/verifications/" + row.id())).body(response(row));
    }

    /** @param verify the schedule, or null to remove it */
    record MeshSettings(VerificationService.ScheduleRequest verify) {
    }

    record MeshSettingsResponse(String mesh, VerificationService.@Nullable Schedule verify) {
    }

    @org.springframework.web.bind.annotation.PutMapping("/api/v1/meshes/{name}")
    @Operation(summary = "Set the mesh's settings: a verification schedule that may repair by a policy (verify: null removes it)")
    MeshSettingsResponse settings(@PathVariable("name") String mesh, @RequestBody MeshSettings settings) {
        return new MeshSettingsResponse(mesh, service.schedule(mesh, settings.verify()));
    }

    @GetMapping("/api/v1/meshes/{mesh}/verifications")
    @Operation(summary = "The mesh's latest verifications, newest first (at most 50)")
    List<VerificationResponse> list(@PathVariable String mesh) {
        return service.ofMesh(mesh).stream().map(this::response).toList();
    }

    @GetMapping("/api/v1/verifications/{id}")
    @Operation(summary = "One verification: progress while it runs, divergent keys by kind and samples once done")
    VerificationResponse get(@PathVariable String id) {
        return response(service.get(id));
    }

    @DeleteMapping("/api/v1/verifications/{id}")
    @Operation(summary = "Cancel a running verification (one that ended stays as it is)")
    VerificationResponse cancel(@PathVariable String id) {
        return response(service.cancel(id));
    }

    @PostMapping("/api/v1/verifications/{id}/repair")
    @Operation(summary = "Write each divergent key's winning state into the regions that differ, unechoed; then recheck them")
    VerificationResponse repair(@PathVariable String id, @RequestBody VerificationService.RepairRequest request) {
        return response(service.repair(id, request, caller()));
    }

    private static String caller() {
        return Caller.current().map(Caller::name).orElse("anonymous");
    }

    private VerificationResponse response(VerificationStore.Row row) {
        Long eta = null;
        if (row.state() == VerificationStore.State.RUNNING && row.keysChecked() > 0) {
            double seconds = (row.updatedAt().toEpochMilli() - row.createdAt().toEpochMilli()) / 1000.0;
            double rate = row.keysChecked() / Math.max(0.001, seconds);
            eta = (long) Math.ceil(Math.max(0, row.keysEstimated() - row.keysChecked()) / Math.max(1, rate));
        }
        List<Sample> samples = row.state() == VerificationStore.State.DONE
                ? service.samples(row.id(), SAMPLES).stream().map(VerificationController::sample).toList() : List.of();
        Map<String, Long> kinds = new java.util.TreeMap<>(row.kinds());
        Long inFlight = kinds.remove(IN_FLIGHT);
        return new VerificationResponse(row.id(), row.mesh(), row.state(), row.request(),
                new Progress(row.keysChecked(), row.keysEstimated(), eta), row.passes(), row.divergentKeys(), kinds,
                inFlight == null ? 0 : inFlight, samples, row.reason(), row.requestedBy(), row.repair(), row.createdAt(), row.finishedAt());
    }

    private static Sample sample(VerificationStore.StoredKey k) {
        Map<String, Seen> regions = new java.util.LinkedHashMap<>();
        k.regions().forEach((region, seen) -> regions.put(region, new Seen(String.valueOf(seen.get("type")),
                ((Number) seen.get("ttlMs")).longValue(), (String) seen.get("digest"))));
        return new Sample(printable(k.key()), k.db(), k.kind(), regions);
    }

    static String printable(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), key)
                && text.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (byte b : key) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.toString();
    }
}
