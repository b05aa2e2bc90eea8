package dev.redmesh.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.redmesh.topology.RoleChangeEvent;
import org.springframework.context.event.EventListener;

/** Records the role changes the app publishes internally, as the fleet coordinator will receive them. */
public class PublishedEvents {

    private final List<RoleChangeEvent> roleChanges = new CopyOnWriteArrayList<>();

    @EventListener
    void on(RoleChangeEvent event) {
        roleChanges.add(event);
    }

    public List<RoleChangeEvent> roleChanges(String cluster) {
        return roleChanges.stream().filter(e -> e.cluster().equals(cluster)).toList();
    }
}
