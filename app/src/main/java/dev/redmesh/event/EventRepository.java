package dev.redmesh.event;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EventRepository extends JpaRepository<Event, Long> {

    @Query("""
            select e from Event e
            where (:type is null or e.type = :type) and (:subject is null or e.subject = :subject)
            order by e.occurredAt desc, e.id desc""")
    List<Event> search(EventType type, String subject, Limit limit);

    boolean existsByTypeAndSubjectAndMessage(EventType type, String subject, String message);
}
