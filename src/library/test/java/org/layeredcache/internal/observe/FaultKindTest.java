package org.layeredcache.internal.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operation the layers name when they count a fault falls into one of the few kinds the metrics show. */
class FaultKindTest {

    @Test
    void theLayersOperationsFallIntoTheirKinds() {
        for (String cluster : new String[] {"cluster get", "cluster reserve", "cluster put", "cluster bulk put",
                "cluster remove", "cluster release", "cluster refresh", "cluster refresh mark", "cluster restore",
                "cluster invalidate", "cluster invalidate all", "publishing a load",
                "replaying invalidations kept during a cluster outage", "dropping an unreadable cluster entry"}) {
            assertThat(FaultKind.of(cluster)).as(cluster).isEqualTo(FaultKind.CLUSTER);
        }
        assertThat(FaultKind.of("key service-{serviceId}")).isEqualTo(FaultKind.KEY);
        assertThat(FaultKind.of("invalidation message")).isEqualTo(FaultKind.INVALIDATION_MESSAGE);
        assertThat(FaultKind.of("reading an invalidation message")).isEqualTo(FaultKind.INVALIDATION_MESSAGE);
        assertThat(FaultKind.of("refresh-ahead")).isEqualTo(FaultKind.REFRESH_AHEAD);
        assertThat(FaultKind.of("starting a refresh-ahead")).isEqualTo(FaultKind.REFRESH_AHEAD);
        assertThat(FaultKind.of("something new")).isEqualTo(FaultKind.OTHER);
        assertThat(FaultKind.INVALIDATION_MESSAGE.tag()).isEqualTo("invalidation_message");
    }
}
