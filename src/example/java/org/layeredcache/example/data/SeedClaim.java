package org.layeredcache.example.data;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The row a node inserts first when it seeds the database, in the same transaction as the data. Two nodes that
 * start together on one empty database both try to insert it: the database lets one through and holds the other
 * until the first commits, then rejects it as a duplicate, so exactly one node writes the data set.
 */
@Entity
@Table(name = "EX_SEED_CLAIM")
public class SeedClaim {

    static final long ONLY = 1;

    @Id
    private Long id;

    private Instant claimedAt;

    protected SeedClaim() {
    }

    SeedClaim(Instant claimedAt) {
        this.id = ONLY;
        this.claimedAt = claimedAt;
    }

    public Instant getClaimedAt() {
        return claimedAt;
    }
}
