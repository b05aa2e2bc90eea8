package dev.redmesh.audit;

import java.util.Optional;

import dev.redmesh.identity.Caller;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the request being served changed, for its audit entry: services name the resource and give a
 * view of it before and after (never a secret). The entry itself is written by {@link AuditFilter}
 * once the response is known, so refused requests are recorded too, without a change.
 */
@Component
public class AuditTrail {

    static final String CHANGE = AuditTrail.class.getName() + ".change";
    static final String CALLER = AuditTrail.class.getName() + ".caller";

    /** One resource changed by a request; {@code before} null for a creation, {@code after} null for a deletion. */
    record Change(String resourceType, String resourceId, Object before, Object after) {
    }

    /** Records that the current request changed a resource. The last call of a request wins. */
    public void changed(String resourceType, String resourceId, Object before, Object after) {
        attributes().ifPresent(a -> a.setAttribute(CHANGE, new Change(resourceType, resourceId, before, after),
                RequestAttributes.SCOPE_REQUEST));
    }

    /** A sign-in: the caller is known only once the request's token has been checked by the controller. */
    public void signedIn(Caller caller) {
        attributes().ifPresent(a -> {
            a.setAttribute(CALLER, caller, RequestAttributes.SCOPE_REQUEST);
            a.setAttribute(CHANGE, new Change("session", caller.name(), null, null), RequestAttributes.SCOPE_REQUEST);
        });
    }

    private static Optional<RequestAttributes> attributes() {
        return Optional.ofNullable(RequestContextHolder.getRequestAttributes());
    }
}
