package dev.redmesh.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.redmesh.web.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what one client can make the server hold, before anything parses its request or knows who
 * it is (the sign-in endpoint is open to anyone), so it runs first of all filters:
 * <ul>
 *   <li>a body whose declared length is over the endpoint's limit is answered 413 without reading a
 *       byte (and the connection closed, so the server does not drain the rest); one without a
 *       declared length is read here up to the limit, and answered 413 past it;</li>
 *   <li>a client address with {@link RequestLimits#maxRequestsPerClient()} requests in progress gets
 *       429 for the next one, so a crowd of slow requests from one address cannot take every request
 *       thread (a parked long poll no longer counts: its thread went back when it parked).</li>
 * </ul>
 */
public final class RequestLimitFilter extends OncePerRequestFilter {

    private final RequestLimits limits;
    private final ProblemResponses problems;
    /** Requests in progress per client address; an address with none has no entry. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> inProgress = new java.util.concurrent.ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.Counter tooLarge;
    private final io.micrometer.core.instrument.Counter tooMany;

    public RequestLimitFilter(RequestLimits limits, ProblemResponses problems, io.micrometer.core.instrument.MeterRegistry meters) {
        this.limits = limits;
        this.problems = problems;
        String description = "requests refused before they were read: a body over its limit, or too many in progress from one address";
        this.tooLarge = io.micrometer.core.instrument.Counter.builder("redmesh.http.refused").tag("reason", "too_large")
                .description(description).register(meters);
        this.tooMany = io.micrometer.core.instrument.Counter.builder("redmesh.http.refused").tag("reason", "too_many")
                .description(description).register(meters);
    }

    /** Registered first of all servlet filters, before the security chain and the audit trail. */
    public static org.springframework.boot.web.servlet.FilterRegistrationBean<RequestLimitFilter> registration(
            RequestLimits limits, tools.jackson.databind.ObjectMapper json, io.micrometer.core.instrument.MeterRegistry meters) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
                new RequestLimitFilter(limits, new ProblemResponses(json), meters));
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The limit for this request: the sign-in and heartbeats have their own. */
    long limitOf(HttpServletRequest request) {
        String path = request.getRequestURI();
        if ("POST".equals(request.getMethod()) && "/api/v1/session".equals(path)) {
            return limits.maxSignInBody().toBytes();
        }
        if ("PUT".equals(request.getMethod()) && path.startsWith("/api/v1/fleet/workers/") && path.indexOf('/', 22) < 0) {
            return limits.maxHeartbeatBody().toBytes();
        }
        return limits.maxBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitOf(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge.increment();
            response.setHeader("Connection", "close");
            problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                    "the request body (" + declared + " bytes) is larger than " + limit + " bytes, the limit of this endpoint");
            return;
        }
        String client = String.valueOf(request.getRemoteAddr());
        if (inProgress.merge(client, 1, Integer::sum) > limits.maxRequestsPerClient()) {
            release(client);
            tooMany.increment();
            response.setHeader("Retry-After", "1");
            problems.write(response, HttpStatus.TOO_MANY_REQUESTS, ProblemType.TOO_MANY_REQUESTS, "this address has "
                    + limits.maxRequestsPerClient() + " requests in progress already (redmesh.security.limits.max-requests-per-client)");
            return;
        }
        try {
            HttpServletRequest bounded = request;
            if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
                byte[] body = readUpTo(request, limit);
                if (body.length > limit) {
                    tooLarge.increment();
                    response.setHeader("Connection", "close");
                    problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                            "the request body is larger than " + limit + " bytes, the limit of this endpoint");
                    return;
                }
                bounded = new Buffered(request, body);
            }
            chain.doFilter(bounded, response);
        } finally {
            release(client);
        }
    }

    private void release(String client) {
        inProgress.computeIfPresent(client, (address, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * A body sent without a declared length (chunked) is read here, up to one byte past the limit:
     * over it, the answer is 413 whatever the endpoint does with bodies; within it, the endpoint reads
     * the bytes from memory. At most a limit's worth per request, and at most
     * {@link RequestLimits#maxRequestsPerClient()} requests per address.
     */
    private static byte[] readUpTo(HttpServletRequest request, long limit) throws IOException {
        return request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }

    /** A request whose body was read already, replayed from memory. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already; no async reads");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), java.nio.charset.Charset.forName(encoding)));
        }
    }
}
