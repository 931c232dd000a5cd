package org.layeredcache.internal.load;

import java.util.concurrent.CompletableFuture;

/**
 * What a read of an asynchronous result answers when it leads the key's load: the stored form of the value, once
 * the method's stage completes ({@code null}: the method returned no stage at all). Never stored in a layer.
 *
 * @param stored completes with the stored form, or exceptionally with the stage's failure
 */
public record PendingLoad(CompletableFuture<Object> stored) {
}
