package dev.redmesh.event;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EventRepository extends JpaRepository<Event, Long> {

    /**
     * {@code subject} matches a subject that is it, or names it as a part: a cluster {@code orders-eu}
     * finds the events of links {@code orders-eu.orders-us} and {@code orders-us.orders-eu} and of
     * their shards ({@code orders-eu.orders-us/0}); a link finds its shards'.
     */
    @Query("""
            select e from Event e
            where (:type is null or e.type = :type) and (:subject is null or e.subject = :subject
                or e.subject like concat(:subject, '.%') or e.subject like concat('%.', :subject)
                or e.subject like concat(:subject, '/%') or e.subject like concat('%.', :subject, '/%'))
            order by e.occurredAt desc, e.id desc""")
    List<Event> search(EventType type, String subject, Limit limit);

    boolean existsByTypeAndSubjectAndMessage(EventType type, String subject, String message);
}
