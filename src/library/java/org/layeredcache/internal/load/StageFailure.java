package org.layeredcache.internal.load;

import java.io.Serial;

/**
 * How the failure of an asynchronous load's stage reaches the callers that waited for that load: as this wrapper
 * of it, so that they answer a stage failed with the cause, as the method's own caller got, rather than throw.
 */
public final class StageFailure extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public StageFailure(Throwable cause) {
        super(cause.toString(), cause, false, false);
    }
}
