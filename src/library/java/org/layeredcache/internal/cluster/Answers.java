package org.layeredcache.internal.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answers of Hazelcast's asynchronous operations as plain {@link CompletableFuture}s, completed on the thread
 * that delivers the answer. A stage chained to a Hazelcast future without an executor runs on Hazelcast's default
 * asynchronous executor, which is the JDK's common pool, or a new thread per stage when that pool has a single
 * thread (a machine of two cores): every answer would then start a thread, and wait for it to be scheduled, before
 * its caller learns it. What the library chains to an answer is short and never blocks, so it runs where the answer
 * arrives. Thread-safe.
 */
public final class Answers {

    private Answers() {
    }

    /** {@code answer}, as a future that completes (with its value or its failure) where {@code answer} completes. */
    public static <T> CompletableFuture<T> of(CompletionStage<T> answer) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        answer.whenCompleteAsync((value, failure) -> {
            if (failure == null) {
                plain.complete(value);
            } else {
                plain.completeExceptionally(failure);
            }
        }, Runnable::run);
        return plain;
    }
}
