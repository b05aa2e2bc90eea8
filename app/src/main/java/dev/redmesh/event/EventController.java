package dev.redmesh.event;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.web.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "Timeline: link changes, role changes, divergences")
class EventController {

    static final int MAX_LIMIT = 1000;

    private final EventService service;
    private final ObjectMapper json;

    EventController(EventService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    record EventResponse(long id, EventType type, String subject, Instant occurredAt, String message,
                         @Nullable JsonNode details) {
    }

    @GetMapping
    @Operation(summary = "List events, newest first")
    List<EventResponse> list(
            @Parameter(description = "one of the event types, e.g. ROLE_CHANGE") @RequestParam(required = false) String type,
            @Parameter(description = "link id, cluster or shard: a cluster also finds its links' events, a link its shards'") @RequestParam(required = false) String subject,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return service.search(parseType(type), subject, limit).stream()
                .map(e -> new EventResponse(e.getId(), e.getType(), e.getSubject(), e.getOccurredAt(), e.getMessage(),
                        json.readTree(e.getDetails())))
                .toList();
    }

    private static EventType parseType(String type) {
        if (type == null) {
            return null;
        }
        try {
            return EventType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("type", "'" + type + "' is not an event type; use one of "
                    + Arrays.toString(EventType.values()));
        }
    }
}
