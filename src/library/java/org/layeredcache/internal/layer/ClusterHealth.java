package org.layeredcache.internal.layer;

import com.hazelcast.nio.serialization.HazelcastSerializationException;
import org.layeredcache.internal.cluster.ClusterCodec;

import java.io.NotSerializableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node should use the cluster layer right now: a circuit breaker shared by all caches of the node.
 * A cluster failure (a timeout, a member or cache that is gone) opens it: for {@code retryAfter} the layers go
 * without the cluster, so a cluster that hangs costs one timeout, not one per call. Then one call at a time probes
 * the cluster again; its success closes the circuit. A failure that is the value's own fault (it cannot be
 * serialized, or an entry cannot be read) says nothing about the cluster and leaves the circuit alone. Thread-safe.
 */
public final class ClusterHealth {

    private final long retryAfterNanos;
    private volatile long openUntil;
    private volatile boolean open;
    private final AtomicBoolean probing = new AtomicBoolean();

    public ClusterHealth(Duration retryAfter) {
        this.retryAfterNanos = retryAfter.toNanos();
    }

    /**
     * Whether the caller may use the cluster now. While the circuit is open, only one caller at a time is let
     * through once the retry time has come; it must report back with {@link #succeeded()} or {@link #failed}.
     */
    boolean usable() {
        if (!open) {
            return true;
        }
        return System.nanoTime() - openUntil >= 0 && probing.compareAndSet(false, true);
    }

    /** Whether the circuit is open: the cluster is kept off after a failure. */
    boolean open() {
        return open;
    }

    void succeeded() {
        if (open) {
            open = false;
            probing.set(false);
        }
    }

    /** Records a failure; opens the circuit if the failure is the cluster's. */
    void failed(Throwable failure) {
        if (isClusterFailure(failure)) {
            openUntil = System.nanoTime() + retryAfterNanos;
            open = true;
        }
        probing.set(false);
    }

    static boolean isClusterFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof HazelcastSerializationException || cause instanceof NotSerializableException
                    || cause instanceof ClusterCodec.UnreadableEntryException) {
                return false;
            }
        }
        return true;
    }
}
