package dev.redmesh.fleet;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.web.ApiException;
import dev.redmesh.worker.ControlPlane;
import dev.redmesh.worker.FleetCredentials;
import dev.redmesh.worker.FleetProtocol;
import dev.redmesh.worker.OrderSeal;
import org.springframework.stereotype.Component;

/**
 * The control plane of this very process, called directly by its own worker: a flood of requests to
 * the HTTP port — large, slow or many — cannot delay its heartbeats. Orders are sealed for the
 * process's in-memory worker credential, as they would be over HTTP.
 */
@Component
class LocalControlPlane implements ControlPlane {

    private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);
    private static final long ANSWER_GRACE_MS = 5_000;

    private final FleetService fleet;
    private final LongPolls longPolls;
    private final FleetCredentials credentials;

    LocalControlPlane(FleetService fleet, LongPolls longPolls, FleetCredentials credentials) {
        this.fleet = fleet;
        this.longPolls = longPolls;
        this.credentials = credentials;
    }

    @Override
    public FleetProtocol.Orders heartbeat(String workerId, FleetProtocol.Heartbeat heartbeat) {
        try {
            return fleet.heartbeat(workerId, heartbeat, seal(workerId));
        } catch (RuntimeException e) {
            log.warn("Heartbeat of worker {} refused: {}", workerId, e.getMessage());
            return null;
        }
    }

    @Override
    public FleetProtocol.Orders awaitOrders(String workerId, String after, long waitMs) {
        java.util.concurrent.CompletableFuture<FleetProtocol.Orders> answer = null;
        try {
            answer = longPolls.await(workerId, "local:" + workerId, after, waitMs, seal(workerId));
            return answer.get(waitMs + ANSWER_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Orders of worker {} not answered: {}", workerId, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ApiException e) {
            log.debug("Orders of worker {} not answered: {}", workerId, e.getMessage());
            return null;
        } finally {
            if (answer != null) {
                longPolls.forget(answer);
            }
        }
    }

    @Override
    public boolean leave(String workerId) {
        return fleet.leave(workerId);
    }

    @Override
    public String token() {
        return credentials.token();
    }

    @Override
    public String describe() {
        return "this process";
    }

    private UnaryOperator<String> seal(String workerId) {
        String token = credentials.token();
        return password -> OrderSeal.seal(token, workerId, password);
    }
}
