package dev.redmesh.event;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
public class EventService {

    private final EventRepository events;
    private final ObjectMapper json;
    private final Clock clock;

    EventService(EventRepository events, ObjectMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Records an event in the caller's transaction, so it exists exactly when the change it describes does. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Event record(EventType type, String subject, String message, Map<String, ?> details) {
        return events.save(new Event(type, subject, clock.instant(), message, json.writeValueAsString(details)));
    }

    /**
     * Records the event unless the timeline already has one of this type, subject and message: for
     * facts that a reporter repeats until told otherwise (a worker reports its last divergence in
     * every heartbeat). Returns whether it was recorded.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean recordOnce(EventType type, String subject, String message, Map<String, ?> details) {
        if (events.existsByTypeAndSubjectAndMessage(type, subject, message)) {
            return false;
        }
        record(type, subject, message, details);
        return true;
    }

    @Transactional(readOnly = true)
    public List<Event> search(EventType type, String subject, int limit) {
        return events.search(type, subject, Limit.of(limit));
    }
}
