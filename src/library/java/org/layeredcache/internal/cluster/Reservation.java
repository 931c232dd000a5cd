package org.layeredcache.internal.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.util.UUID;

/**
 * A load's claim on a key in the cluster layer, put there before the method runs. The load publishes its value
 * by replacing exactly this claim; an invalidation removes the claim, so a load that overlapped an invalidation
 * finds its claim gone and publishes nothing. Claims expire by themselves after the load lease, so a node that
 * dies while loading leaves nothing locked.
 *
 * @param token unique per load
 */
public record Reservation(UUID token) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public static Reservation create() {
        return new Reservation(UUID.randomUUID());
    }
}
