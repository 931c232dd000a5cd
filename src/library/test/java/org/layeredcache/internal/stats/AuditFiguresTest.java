package org.layeredcache.internal.stats;

import org.junit.jupiter.api.Test;
import org.layeredcache.ConsistencyAudit;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A check that found two layers disagreeing is one check and one disagreement, showing both divergences. */
class AuditFiguresTest {

    @Test
    void aCheckDisagreeingInTwoLayersCountsOnceAndShowsBoth() {
        AuditFigures figures = new AuditFigures();
        figures.agreed();

        figures.disagreed(List.of(
                AuditFigures.divergence("row-1", AuditFigures.Layer.NEAR, 0, "before", "after", false),
                AuditFigures.divergence("row-1", AuditFigures.Layer.CLUSTER, 0, "before", "after", false)));

        ConsistencyAudit audit = figures.snapshot("rows", true);
        assertThat(audit.checks()).isEqualTo(2);
        assertThat(audit.disagreements()).isEqualTo(1);
        assertThat(audit.lastHourChecks()).isEqualTo(2);
        assertThat(audit.lastHourDisagreements()).isEqualTo(1);
        assertThat(audit.divergences()).extracting(ConsistencyAudit.Divergence::layer)
                .containsExactlyInAnyOrder("near", "cluster");
    }
}
