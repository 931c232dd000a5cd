package org.layeredcache.internal.load;

import java.util.concurrent.CompletableFuture;

/**
 * What a read of an asynchronous result answers when its value is not there yet: the stored form of the value,
 * once the method's stage (or the load it waits for) completes ({@code null}: the method returned no stage at
 * all), or {@link #AGAIN} when the load it waited for could not be shared or the wait passed its bound, so that
 * the call must be made again. Never stored in a layer.
 *
 * @param stored completes with the stored form (or {@link #AGAIN}), or exceptionally with the load's failure
 */
public record PendingLoad(CompletableFuture<Object> stored) {

    /** What {@link #stored} completes with when the call must be made again. */
    public static final Object AGAIN = new Object() {
        @Override
        public String toString() {
            return "again";
        }
    };
}
