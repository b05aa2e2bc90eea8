package dev.redmesh.event;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

/** One line of the timeline: what happened to which subject (link id, cluster, shard), when and why. */
@Entity
@Table(name = "event")
public class Event {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private EventType type;

    @Column(nullable = false)
    private String subject;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String message;

    /** A JSON object with machine-readable facts (offsets, node addresses); written as jsonb. */
    @ColumnTransformer(write = "?::jsonb")
    @Column(nullable = false, columnDefinition = "jsonb")
    private String details;

    protected Event() {
    }

    Event(EventType type, String subject, Instant occurredAt, String message, String details) {
        this.type = type;
        this.subject = subject;
        this.occurredAt = occurredAt;
        this.message = message;
        this.details = details;
    }

    public Long getId() {
        return id;
    }

    public EventType getType() {
        return type;
    }

    public String getSubject() {
        return subject;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getMessage() {
        return message;
    }

    public String getDetails() {
        return details;
    }
}
