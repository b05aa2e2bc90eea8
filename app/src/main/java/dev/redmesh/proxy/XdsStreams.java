package dev.redmesh.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;

import dev.redmesh.identity.Caller;

/**
 * The xDS streams open right now, each with the caller its token authenticated as, so that a stream
 * can be ended from outside — its token revoked — the way gRPC would end it had the proxy hung up:
 * the call is closed (no more configuration reaches it) and the server's listener is told of a
 * cancellation, so the discovery server drops its watches and the registry marks the proxy gone.
 * Everything that reaches the call and its listener goes through one lock per stream, since a
 * revocation comes from another thread than gRPC's.
 */
final class XdsStreams {

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    <Q, R> ServerCall.Listener<Q> open(Caller caller, ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Stream stream = new Stream(caller);
        Guarded<Q, R> guarded = new Guarded<>(call, stream);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(Context.current().withValue(XdsServer.CALLER, caller), guarded,
                headers, next);
        Listening<Q> listening = new Listening<>(listener, stream);
        stream.call = guarded;
        stream.listener = listening;
        open.add(stream);
        return listening;
    }

    /** Ends every stream whose caller {@code which} selects. */
    void end(Predicate<Stream> which, String why) {
        for (Stream stream : open) {
            if (which.test(stream)) {
                stream.end(Status.UNAUTHENTICATED.withDescription(why));
            }
        }
    }

    int size() {
        return open.size();
    }

    final class Stream {
        private final Caller caller;
        private final Object lock = new Object();
        private Guarded<?, ?> call;
        private Listening<?> listener;
        private boolean closed;
        private boolean done;

        Stream(Caller caller) {
            this.caller = caller;
        }

        Caller caller() {
            return caller;
        }

        void end(Status status) {
            synchronized (lock) {
                if (!closed) {
                    closed = true;
                    call.closeDelegate(status);
                }
                listener.cancelOnce();
            }
        }

        void finished() {
            open.remove(this);
        }
    }

    private static final class Guarded<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Stream stream;

        Guarded(ServerCall<Q, R> delegate, Stream stream) {
            super(delegate);
            this.stream = stream;
        }

        @Override
        public void sendHeaders(Metadata headers) {
            synchronized (stream.lock) {
                if (!stream.closed) {
                    super.sendHeaders(headers);
                }
            }
        }

        @Override
        public void sendMessage(R message) {
            synchronized (stream.lock) {
                if (!stream.closed) {
                    super.sendMessage(message);
                }
            }
        }

        @Override
        public void close(Status status, Metadata trailers) {
            synchronized (stream.lock) {
                if (!stream.closed) {
                    stream.closed = true;
                    super.close(status, trailers);
                }
            }
        }

        void closeDelegate(Status status) {
            super.close(status, new Metadata());
        }
    }

    private static final class Listening<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Stream stream;

        Listening(ServerCall.Listener<Q> delegate, Stream stream) {
            super(delegate);
            this.stream = stream;
        }

        @Override
        public void onMessage(Q message) {
            synchronized (stream.lock) {
                if (!stream.done) {
                    super.onMessage(message);
                }
            }
        }

        @Override
        public void onHalfClose() {
            synchronized (stream.lock) {
                if (!stream.done) {
                    super.onHalfClose();
                }
            }
        }

        @Override
        public void onReady() {
            synchronized (stream.lock) {
                if (!stream.done) {
                    super.onReady();
                }
            }
        }

        @Override
        public void onCancel() {
            cancelOnce();
        }

        @Override
        public void onComplete() {
            synchronized (stream.lock) {
                if (!stream.done) {
                    stream.done = true;
                    super.onComplete();
                }
            }
            stream.finished();
        }

        void cancelOnce() {
            synchronized (stream.lock) {
                if (!stream.done) {
                    stream.done = true;
                    super.onCancel();
                }
            }
            stream.finished();
        }
    }
}
